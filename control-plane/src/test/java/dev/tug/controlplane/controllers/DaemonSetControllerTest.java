package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static dev.tug.controlplane.controllers.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonSetControllerTest {

    @TempDir
    Path dir;
    ControllerHarness harness;
    final ResourceType nodes = ApiResources.of(Node.class);
    final ResourceType daemonSets = ApiResources.of(DaemonSet.class);

    @BeforeEach
    void start() {
        harness = new ControllerHarness(dir);
        harness.start(service -> new DaemonSetController(service, new EventRecorder(service, "daemonset-controller")));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /** A node as the agent registers it, with extra labels and taints (JSON object / array bodies). */
    private void node(String name, String labels, String taints) {
        harness.create(Node.class, null, """
                {"metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s","kubernetes.io/os":"linux"%s}},
                 "spec":{"taints":[%s]},
                 "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, name, labels.isEmpty() ? "" : "," + labels, taints, Instant.now()));
    }

    private void updateNode(String name, UnaryOperator<ObjectNode> change) {
        harness.service.update(nodes, null, name, null, RequestOptions.internal(), change::apply);
    }

    private void daemonSet(String name, String specExtras, String podSpecExtras) {
        harness.create(DaemonSet.class, "default", """
                {"metadata":{"name":"%s"},"spec":{"selector":{"matchLabels":{"app":"%s"}},%s
                 "template":{"metadata":{"labels":{"app":"%s"}},
                  "spec":{%s"containers":[{"name":"c","image":"busybox:1","command":["sleep","1000"]}]}}}}
                """.formatted(name, name, specExtras, name, podSpecExtras));
    }

    private ObjectNode ds(String name) {
        return harness.service.get(daemonSets, "default", name);
    }

    private List<ObjectNode> daemons(String app) {
        return harness.activePods("default").stream().filter(p -> app.equals(ObjectMetadata.labels(p).get("app"))).toList();
    }

    private Set<String> daemonNodes(String app) {
        return daemons(app).stream().map(p -> Json.text(p, "spec", "nodeName")).collect(Collectors.toSet());
    }

    private void setImage(String name, String image) {
        harness.service.update(daemonSets, "default", name, null, RequestOptions.internal(), d -> {
            ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("image", image);
            return d;
        });
    }

    @Test
    void runsOneBoundPodPerNodeWithTheDaemonTolerationsAndReportsStatus() {
        node("a", "", "");
        node("b", "", "");
        node("cp", "", "{\"key\":\"node-role.kubernetes.io/control-plane\",\"effect\":\"NoSchedule\"}");
        daemonSet("agent", "", "");
        await("a daemon on a and b", () -> daemonNodes("agent").equals(Set.of("a", "b")));
        assertEquals(2, daemons("agent").size());

        ObjectNode pod = daemons("agent").get(0);
        assertEquals("DaemonSet", pod.at("/metadata/ownerReferences/0/kind").asText());
        assertEquals(PodTemplateHash.of(ds("agent").at("/spec/template"), 0),
                ObjectMetadata.labels(pod).get(DaemonSetController.REVISION_LABEL));
        String tolerations = pod.at("/spec/tolerations").toString();
        for (String key : List.of("not-ready", "unreachable", "disk-pressure", "memory-pressure", "pid-pressure", "unschedulable")) {
            assertTrue(tolerations.contains("\"key\":\"node.kubernetes.io/" + key + "\""), key + " in " + tolerations);
        }
        // DefaultTolerationSeconds finds not-ready/unreachable tolerated already: daemons stay for ever
        assertFalse(tolerations.contains("tolerationSeconds"), tolerations);

        await("status", () -> ds("agent").at("/status/currentNumberScheduled").asInt() == 2);
        ObjectNode status = (ObjectNode) ds("agent").get("status");
        assertEquals(2, status.path("desiredNumberScheduled").asInt());
        assertEquals(0, status.path("numberReady").asInt());
        assertEquals(2, status.path("numberUnavailable").asInt());
        assertEquals(2, status.path("updatedNumberScheduled").asInt());
        assertEquals(1, status.path("observedGeneration").asInt());

        harness.runAll("default");
        await("all available", () -> ds("agent").at("/status/numberAvailable").asInt() == 2);
        assertEquals(2, ds("agent").at("/status/numberReady").asInt());
        assertTrue(ds("agent").at("/status/numberUnavailable").isMissingNode(), ds("agent").toString());
        await("creation events", () -> harness.events("default", "SuccessfulCreate").size() == 2);
    }

    @Test
    void nodeSelectorAffinityAndTolerationsChooseTheNodes() {
        node("a", "\"disk\":\"ssd\"", "");
        node("b", "\"disk\":\"hdd\"", "");
        node("cp", "\"disk\":\"ssd\"", "{\"key\":\"node-role.kubernetes.io/control-plane\",\"effect\":\"NoSchedule\"}");
        daemonSet("ssd", "", "\"nodeSelector\":{\"disk\":\"ssd\"},");
        daemonSet("everywhere", "", "\"tolerations\":[{\"key\":\"node-role.kubernetes.io/control-plane\",\"operator\":\"Exists\"}],");
        daemonSet("not-ssd", "", """
                "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"disk","operator":"NotIn","values":["ssd"]}]}]}}},""");
        await("placement", () -> daemonNodes("ssd").equals(Set.of("a"))
                && daemonNodes("everywhere").equals(Set.of("a", "b", "cp"))
                && daemonNodes("not-ssd").equals(Set.of("b")));
        await("desired counts", () -> ds("ssd").at("/status/desiredNumberScheduled").asInt() == 1
                && ds("everywhere").at("/status/desiredNumberScheduled").asInt() == 3);
    }

    @Test
    void followsNodesAsTheyComeChangeAndGo() {
        node("a", "\"role\":\"worker\"", "");
        daemonSet("logs", "", "\"nodeSelector\":{\"role\":\"worker\"},");
        await("a daemon on a", () -> daemonNodes("logs").equals(Set.of("a")));

        node("b", "\"role\":\"worker\"", "");
        await("a new node gets its daemon", () -> daemonNodes("logs").equals(Set.of("a", "b")));

        updateNode("a", n -> {
            ((ObjectNode) n.at("/metadata/labels")).put("role", "db");
            return n;
        });
        await("a node that stops matching loses it", () -> daemonNodes("logs").equals(Set.of("b")));
        await("SuccessfulDelete", () -> !harness.events("default", "SuccessfulDelete").isEmpty());

        // a NoSchedule taint keeps new daemons off but leaves the one there (counted misscheduled)
        updateNode("b", n -> {
            n.with("spec").withArray("taints").addObject().put("key", "maintenance").put("effect", "NoSchedule");
            return n;
        });
        harness.finishDeletions("default"); // a terminating daemon still counts, as in Kubernetes
        await("misscheduled", () -> ds("logs").at("/status/numberMisscheduled").asInt() == 1
                && ds("logs").at("/status/desiredNumberScheduled").asInt() == 0);
        assertEquals(Set.of("b"), daemonNodes("logs"));
        // a NoExecute taint removes it
        updateNode("b", n -> {
            n.with("spec").withArray("taints").addObject().put("key", "maintenance").put("effect", "NoExecute");
            return n;
        });
        await("gone from b", () -> daemonNodes("logs").isEmpty());
    }

    @Test
    void cordonedNodesGetDaemonsAndUnreachableNodesKeepThem() {
        // what the node controller makes of kubectl cordon
        node("cordoned", "", "{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}");
        updateNode("cordoned", n -> {
            n.with("spec").put("unschedulable", true);
            return n;
        });
        node("down", "", "");
        daemonSet("net", "", "");
        await("daemons on both", () -> daemonNodes("net").equals(Set.of("cordoned", "down")));
        String onDown = daemons("net").stream().filter(p -> "down".equals(Json.text(p, "spec", "nodeName")))
                .map(ObjectMetadata::name).findFirst().orElseThrow();

        // ... and of a silent agent: no new daemon would go there, the one there stays
        updateNode("down", n -> {
            n.with("spec").withArray("taints").addObject().put("key", "node.kubernetes.io/unreachable").put("effect", "NoSchedule");
            n.with("spec").withArray("taints").addObject().put("key", "node.kubernetes.io/unreachable").put("effect", "NoExecute")
                    .put("timeAdded", Instant.now().toString());
            return n;
        });
        await("down no longer desired", () -> ds("net").at("/status/desiredNumberScheduled").asInt() == 1
                && ds("net").at("/status/numberMisscheduled").asInt() == 1);
        assertTrue(daemons("net").stream().anyMatch(p -> ObjectMetadata.name(p).equals(onDown)), "the daemon on down stays");
    }

    @Test
    void deletesSurplusAndFailedPodsAndReplacesTheFailed() {
        node("a", "", "");
        daemonSet("agent", "", "");
        await("one daemon", () -> daemons("agent").size() == 1);
        String first = ObjectMetadata.name(daemons("agent").get(0));

        // a second pod that the DaemonSet adopts: the newer one goes
        harness.create(Pod.class, "default", """
                {"metadata":{"name":"stray","labels":{"app":"agent"}},
                 "spec":{"nodeName":"a","containers":[{"name":"c","image":"busybox:1"}]}}""");
        await("the stray pod deleted", () -> harness.service.get(harness.pods, "default", "stray")
                .at("/metadata/deletionTimestamp").isTextual());
        assertEquals(List.of(first), daemons("agent").stream().map(ObjectMetadata::name).toList());
        harness.finishDeletions("default"); // what the agent does once the stray pod stopped

        harness.setStatus(daemons("agent").get(0), "Failed", false);
        await("a replacement", () -> daemons("agent").size() == 1
                && !ObjectMetadata.name(daemons("agent").get(0)).equals(first));
        ObjectNode failed = harness.service.get(harness.pods, "default", first);
        assertTrue(ObjectMetadata.deleting(failed), "the failed pod is deleted: " + failed);
        await("FailedDaemonPod event", () -> !harness.events("default", "FailedDaemonPod").isEmpty());
    }

    @Test
    void rollingUpdateReplacesOneNodeAtATime() {
        for (String n : List.of("a", "b", "c")) {
            node(n, "", "");
        }
        daemonSet("proxy", "", "");
        await("three daemons", () -> daemons("proxy").size() == 3);
        harness.runAll("default");
        await("available", () -> ds("proxy").at("/status/numberAvailable").asInt() == 3);

        setImage("proxy", "busybox:2");
        String revision = PodTemplateHash.of(ds("proxy").at("/spec/template"), 0);
        for (int round = 1; round <= 3; round++) {
            await("one old pod deleted", () -> harness.pods("default").stream().anyMatch(ObjectMetadata::deleting));
            sleep(300); // time for a controller that ignored maxUnavailable to delete more
            List<ObjectNode> all = harness.pods("default");
            assertEquals(1, all.stream().filter(ObjectMetadata::deleting).count(), "maxUnavailable 1: " + all);
            assertTrue(all.stream().filter(p -> !ObjectMetadata.deleting(p)).noneMatch(p -> !Pods.ready(p)),
                    "while a node's daemon terminates, no other node is without a ready one: " + all);
            String node = all.stream().filter(ObjectMetadata::deleting).map(p -> Json.text(p, "spec", "nodeName")).findFirst().get();
            harness.finishDeletions("default");
            await("the replacement on " + node, () -> daemons("proxy").stream().anyMatch(
                    p -> node.equals(Json.text(p, "spec", "nodeName")) && revision.equals(ObjectMetadata.labels(p).get("controller-revision-hash"))));
            assertEquals(3, daemons("proxy").size());
            harness.runAll("default");
        }
        await("rolled out", () -> ds("proxy").at("/status/updatedNumberScheduled").asInt() == 3
                && ds("proxy").at("/status/numberAvailable").asInt() == 3);
        assertEquals(2, ds("proxy").at("/status/observedGeneration").asInt());
        assertTrue(daemons("proxy").stream().allMatch(p -> p.at("/spec/containers/0/image").asText().equals("busybox:2")));
    }

    @Test
    void maxUnavailableAsAPercentageDeletesThatManyAtOnce() {
        for (String n : List.of("a", "b", "c", "d")) {
            node(n, "", "");
        }
        daemonSet("proxy", "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"50%\"}},", "");
        await("four daemons", () -> daemons("proxy").size() == 4);
        harness.runAll("default");
        await("available", () -> ds("proxy").at("/status/numberAvailable").asInt() == 4);
        setImage("proxy", "busybox:2");
        await("two deleted", () -> harness.pods("default").stream().filter(ObjectMetadata::deleting).count() == 2);
        sleep(300);
        assertEquals(2, harness.pods("default").stream().filter(ObjectMetadata::deleting).count());
    }

    @Test
    void onDeleteReplacesOnlyWhatTheUserDeletes() {
        node("a", "", "");
        node("b", "", "");
        daemonSet("agent", "\"updateStrategy\":{\"type\":\"OnDelete\"},", "");
        await("two daemons", () -> daemons("agent").size() == 2);
        String oldRevision = ObjectMetadata.labels(daemons("agent").get(0)).get("controller-revision-hash");
        setImage("agent", "busybox:2");
        await("the change observed", () -> ds("agent").at("/status/observedGeneration").asInt() == 2);
        sleep(300);
        assertTrue(harness.pods("default").stream().noneMatch(ObjectMetadata::deleting));
        assertEquals(0, ds("agent").at("/status/updatedNumberScheduled").asInt());

        ObjectNode victim = daemons("agent").get(0);
        harness.service.delete(harness.pods, "default", ObjectMetadata.name(victim), new DeleteOptions(null, 0L, null, null, false));
        await("a new-template pod", () -> daemons("agent").stream()
                .filter(p -> !oldRevision.equals(ObjectMetadata.labels(p).get("controller-revision-hash"))).count() == 1);
        assertEquals(2, daemons("agent").size());
        await("one updated", () -> ds("agent").at("/status/updatedNumberScheduled").asInt() == 1);
    }

    @Test
    void podTemplateReplacesASecondsLimitedTolerationOfNodeTrouble() {
        ObjectNode ds = Json.parseObject("""
                {"spec":{"template":{"spec":{"hostNetwork":true,"tolerations":[
                  {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30},
                  {"key":"dedicated","operator":"Equal","value":"infra","effect":"NoSchedule"}]}}}}""".getBytes());
        JsonNode tolerations = DaemonPlacement.podTemplate(ds).at("/spec/tolerations");
        assertFalse(tolerations.toString().contains("tolerationSeconds"), tolerations.toString());
        assertTrue(tolerations.toString().contains("\"value\":\"infra\""));
        assertTrue(tolerations.toString().contains("node.kubernetes.io/network-unavailable"), "host network daemons make the network");
        assertEquals(8, tolerations.size());
    }

    @Test
    void placementSeparatesStartingFromStaying() {
        ObjectNode template = DaemonPlacement.podTemplate(Json.parseObject("{\"spec\":{\"template\":{\"spec\":{}}}}".getBytes()));
        ObjectNode noSchedule = Json.parseObject("{\"spec\":{\"taints\":[{\"key\":\"x\",\"effect\":\"NoSchedule\"}]}}".getBytes());
        ObjectNode noExecute = Json.parseObject("{\"spec\":{\"taints\":[{\"key\":\"x\",\"effect\":\"NoExecute\"}]}}".getBytes());
        ObjectNode preferNo = Json.parseObject("{\"spec\":{\"taints\":[{\"key\":\"x\",\"effect\":\"PreferNoSchedule\"}]}}".getBytes());
        assertEquals(new DaemonPlacement.Verdict(false, true), DaemonPlacement.of(template, noSchedule));
        assertEquals(new DaemonPlacement.Verdict(false, false), DaemonPlacement.of(template, noExecute));
        assertEquals(new DaemonPlacement.Verdict(true, true), DaemonPlacement.of(template, preferNo));
        template.with("spec").put("nodeName", "elsewhere");
        assertEquals(new DaemonPlacement.Verdict(false, false), DaemonPlacement.of(template,
                Json.parseObject("{\"metadata\":{\"name\":\"here\"}}".getBytes())));
    }

    @Test
    void maxUnavailableScalesPercentagesUpAndNeverFallsBelowOne() {
        assertEquals(1, DaemonSetController.maxUnavailable(Json.object(), 10));
        assertEquals(3, DaemonSetController.maxUnavailable(spec("\"25%\""), 10));
        assertEquals(1, DaemonSetController.maxUnavailable(spec("\"10%\""), 3));
        assertEquals(4, DaemonSetController.maxUnavailable(spec("4"), 10));
        assertEquals(1, DaemonSetController.maxUnavailable(spec("0"), 10));
        assertNotEquals(0, DaemonSetController.maxUnavailable(spec("\"0%\""), 10));
    }

    private static ObjectNode spec(String maxUnavailable) {
        return Json.parseObject(("{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":" + maxUnavailable + "}}}}").getBytes());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
