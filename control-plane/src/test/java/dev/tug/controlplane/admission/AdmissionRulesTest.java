package dev.tug.controlplane.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static <T extends HasMetadata> T read(Class<T> type, String json) throws Exception {
        return JSON.readValue(json, type);
    }

    private static List<String> messages(HasMetadata object, HasMetadata old) {
        return Validation.validate(object, old).stream().map(FieldError::message).toList();
    }

    private static final String DEPLOYMENT = """
            {"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}""";

    @Test
    void deploymentDefaultsAreKubernetesDefaultsAndIdempotent() throws Exception {
        Deployment deployment = read(Deployment.class, DEPLOYMENT);
        Defaulting.apply(deployment);
        String once = JSON.writeValueAsString(deployment);
        Defaulting.apply(deployment);
        assertEquals(once, JSON.writeValueAsString(deployment));
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("25%", deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal());
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals("Always", pod.getRestartPolicy());
        assertEquals(30L, pod.getTerminationGracePeriodSeconds());
        assertEquals("Always", pod.getContainers().get(0).getImagePullPolicy());
        assertEquals(List.of(), messages(deployment, null));
    }

    @Test
    void selectorsMustSelectTheTemplateAndStayPut() throws Exception {
        Deployment mismatched = read(Deployment.class, DEPLOYMENT.replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"db\"}"));
        assertTrue(messages(mismatched, null).contains(
                "spec.template.metadata.labels: Invalid value: \"{app=db}\": `selector` does not match template `labels`"));
        Deployment old = read(Deployment.class, DEPLOYMENT);
        Deployment moved = read(Deployment.class, DEPLOYMENT.replace("\"matchLabels\":{\"app\":\"web\"}",
                "\"matchLabels\":{\"app\":\"web\",\"v\":\"2\"}").replace("\"labels\":{\"app\":\"web\"}",
                "\"labels\":{\"app\":\"web\",\"v\":\"2\"}"));
        assertTrue(messages(moved, old).stream().anyMatch(m -> m.startsWith("spec.selector: Invalid value")
                && m.endsWith("field is immutable")), messages(moved, old).toString());
    }

    @Test
    void namesPortsAndImagesAreChecked() throws Exception {
        Deployment bad = read(Deployment.class, """
                {"metadata":{"name":"Web_1"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
                  {"name":"web","ports":[{"containerPort":70000}]},{"name":"web","image":"x"}]}}}}""");
        List<String> problems = messages(bad, null);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain")), problems.toString());
        assertTrue(problems.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"), problems.toString());
        assertTrue(problems.contains("spec.template.spec.containers[0].image: Required value"), problems.toString());
        assertTrue(problems.contains("spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"), problems.toString());
        assertTrue(problems.contains("spec.template.spec.containers[1].name: Duplicate value: \"web\""), problems.toString());
    }

    @Test
    void servicesAndCronJobs() throws Exception {
        Service service = read(Service.class, """
                {"metadata":{"name":"web"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":80},{"port":443}]}}""");
        Defaulting.apply(service);
        assertEquals(80, service.getSpec().getPorts().get(0).getTargetPort().getIntVal(), "targetPort defaults to port");
        List<String> problems = messages(service, null);
        assertTrue(problems.contains("spec.ports[0].name: Required value"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("spec.ports[0].nodePort: Invalid value: 80")), problems.toString());

        String cron = """
                {"metadata":{"name":"tick"},"spec":{"schedule":"%s","jobTemplate":{"spec":{"template":{"spec":{
                 "restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}}""";
        assertEquals(List.of(), messages(read(CronJob.class, cron.formatted("*/5 * * * *")), null));
        assertEquals(List.of(), messages(read(CronJob.class, cron.formatted("@hourly")), null));
        assertTrue(messages(read(CronJob.class, cron.formatted("61 * * * *")), null).get(0)
                .startsWith("spec.schedule: Invalid value: \"61 * * * *\": unparseable schedule"));
    }
}
