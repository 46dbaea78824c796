package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Protobuf request bodies become the JSON kubectl would have sent. */
class ProtobufBodiesTest {

    // Bodies kubectl v1.32.4 sent (kubectl --server=http://127.0.0.1:PORT create ... against a listener
    // that saved them), each next to the JSON the same command prints with --dry-run=client -o json:
    //   namespace demo; configmap cfg --from-literal=a=1 --from-literal=b=two;
    //   secret generic creds --from-literal=password=s3cr3t; deployment web --image=nginx --port=80;
    //   deployment idle --image=nginx --replicas=0; job once --image=busybox -- echo hi;
    //   cronjob tick --image=busybox --schedule='*/5 * * * *' -- date; service clusterip web --tcp=80:8080;
    //   service nodeport edge --tcp=443:https --node-port=30443; quota q --hard=cpu=1500m,memory=1G,pods=2;
    //   serviceaccount robot; and poddisruptionbudget pdb --selector=app=web --min-available=1 (no JSON).
    @ParameterizedTest
    @ValueSource(strings = {"namespace", "configmap", "secret", "deployment", "deployment-replicas0", "job", "cronjob",
            "service-clusterip", "service-nodeport", "quota", "serviceaccount"})
    void decodesWhatKubectlSends(String name) throws IOException {
        JsonNode expected = Json.MAPPER.readTree(fixture(name + ".json"));
        assertJson(expected.toString(), ProtobufBodies.decode(fixture(name + ".bin")));
    }

    @Test
    void namespaceWithTimeAndTheZeroValuesGoAlwaysWrites() {
        byte[] body = body("v1", "Namespace", "k8s.io.api.core.v1.Namespace", m(
                "metadata", m("name", "", "generateName", "team-", "uid", "", "generation", 0L,
                        "creationTimestamp", m("seconds", 1700000000L, "nanos", 0),
                        "labels", Map.of("team", "a")),
                "spec", m("finalizers", List.of("kubernetes")),
                "status", m("phase", "")));
        assertJson("""
                {"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"generateName": "team-", "creationTimestamp": "2023-11-14T22:13:20Z", "labels": {"team": "a"}},
                 "spec": {"finalizers": ["kubernetes"]}, "status": {}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void configMapData() {
        byte[] body = body("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap", m(
                "metadata", m("name", "settings", "namespace", "shop"),
                "data", Map.of("greeting", "hello", "empty", ""),
                "binaryData", Map.of("blob", new byte[]{1, 2})));
        assertJson("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "shop"},
                 "data": {"greeting": "hello", "empty": ""}, "binaryData": {"blob": "AQI="}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void secretBytesAreBase64() {
        byte[] body = body("v1", "Secret", "k8s.io.api.core.v1.Secret", m(
                "metadata", m("name", "creds"),
                "data", Map.of("key", new byte[]{0, 1, 2, (byte) 0xff}),
                "type", "Opaque"));
        assertJson("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"},
                 "data": {"key": "AAEC/w=="}, "type": "Opaque"}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void deploymentWithQuantitiesIntOrStringsAndInlinedMembers() {
        byte[] body = body("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", m(
                "metadata", m("name", "web", "labels", Map.of("app", "web")),
                "spec", m(
                        "replicas", 3,
                        "selector", m("matchLabels", Map.of("app", "web")),
                        "template", m(
                                "metadata", m("labels", Map.of("app", "web")),
                                "spec", m(
                                        "containers", List.of(m(
                                                "name", "web", "image", "nginx:1.27",
                                                "ports", List.of(m("name", "http", "containerPort", 8080, "hostPort", 0,
                                                        "protocol", "TCP")),
                                                "env", List.of(m("name", "MODE", "valueFrom", m("configMapKeyRef",
                                                        m("localObjectReference", m("name", "web-config"), "key", "mode")))),
                                                "resources", m(
                                                        "limits", Map.of("cpu", m("string", "500m")),
                                                        "requests", Map.of("memory", m("string", "64Mi"))),
                                                "livenessProbe", m("handler", m("httpGet", m("path", "/healthz",
                                                        "port", m("type", 1L, "intVal", 0, "strVal", "http"))),
                                                        "initialDelaySeconds", 5),
                                                "stdin", false, "tty", false)),
                                        "volumes", List.of(m("name", "config", "volumeSource",
                                                m("configMap", m("localObjectReference", m("name", "web-config"))))),
                                        "terminationGracePeriodSeconds", 0L,
                                        "restartPolicy", "Always")),
                        "strategy", m("type", "RollingUpdate", "rollingUpdate", m(
                                "maxSurge", m("type", 0L, "intVal", 1, "strVal", ""),
                                "maxUnavailable", m("type", 1L, "intVal", 0, "strVal", "25%"))),
                        "minReadySeconds", 0,
                        "paused", false)));
        assertJson("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
                 "spec": {
                   "replicas": 3,
                   "selector": {"matchLabels": {"app": "web"}},
                   "template": {
                     "metadata": {"labels": {"app": "web"}},
                     "spec": {
                       "containers": [{
                         "name": "web", "image": "nginx:1.27",
                         "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                         "env": [{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "mode"}}}],
                         "resources": {"limits": {"cpu": "500m"}, "requests": {"memory": "64Mi"}},
                         "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "initialDelaySeconds": 5}}],
                       "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
                       "terminationGracePeriodSeconds": 0,
                       "restartPolicy": "Always"}},
                   "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void serviceTargetPortsAsNumberAndName() {
        byte[] body = body("v1", "Service", "k8s.io.api.core.v1.Service", m(
                "metadata", m("name", "web"),
                "spec", m(
                        "ports", List.of(
                                m("name", "http", "port", 80, "targetPort", m("type", 0L, "intVal", 8080, "strVal", ""),
                                        "nodePort", 0),
                                m("name", "metrics", "port", 9090, "targetPort", m("type", 1L, "intVal", 0,
                                        "strVal", "metrics"))),
                        "selector", Map.of("app", "web"),
                        "clusterIP", "10.96.0.10",
                        "type", "ClusterIP",
                        "sessionAffinity", "")));
        assertJson("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                 "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                    {"name": "metrics", "port": 9090, "targetPort": "metrics"}],
                          "selector": {"app": "web"}, "clusterIP": "10.96.0.10", "type": "ClusterIP"}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void jobKeepsAZeroThatMeansSomething() {
        byte[] body = body("batch/v1", "Job", "k8s.io.api.batch.v1.Job", m(
                "metadata", m("name", "migrate"),
                "spec", m("backoffLimit", 0, "completions", 1, "manualSelector", false, "template", m("spec", m(
                        "containers", List.of(m("name", "migrate", "image", "busybox", "args", List.of("", "x"))),
                        "restartPolicy", "Never")))));
        assertJson("""
                {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
                 "spec": {"backoffLimit": 0, "completions": 1, "manualSelector": false, "template": {"spec": {
                   "containers": [{"name": "migrate", "image": "busybox", "args": ["", "x"]}],
                   "restartPolicy": "Never"}}}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void cronJobSchedule() {
        byte[] body = body("batch/v1", "CronJob", "k8s.io.api.batch.v1.CronJob", m(
                "metadata", m("name", "nightly"),
                "spec", m("schedule", "0 3 * * *", "concurrencyPolicy", "Forbid", "suspend", false,
                        "jobTemplate", m("spec", m("template", m("spec", m(
                                "containers", List.of(m("name", "backup", "image", "busybox")),
                                "restartPolicy", "OnFailure")))))));
        assertJson("""
                {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"},
                 "spec": {"schedule": "0 3 * * *", "concurrencyPolicy": "Forbid", "suspend": false,
                   "jobTemplate": {"spec": {"template": {"spec": {
                     "containers": [{"name": "backup", "image": "busybox"}], "restartPolicy": "OnFailure"}}}}}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void microTimeKeepsMicroseconds() {
        byte[] body = body("v1", "Event", "k8s.io.api.core.v1.Event", m(
                "metadata", m("name", "e1"),
                "involvedObject", m("kind", "Pod", "name", "web-1"),
                "eventTime", m("seconds", 1700000000L, "nanos", 123456789),
                "lastTimestamp", m()));
        assertJson("""
                {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1"},
                 "involvedObject": {"kind": "Pod", "name": "web-1"},
                 "eventTime": "2023-11-14T22:13:20.123456Z", "lastTimestamp": null}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void autoscalingScale() {
        byte[] body = body("autoscaling/v1", "Scale", "k8s.io.api.autoscaling.v1.Scale", m(
                "metadata", m("name", "web", "namespace", "shop", "resourceVersion", "42"),
                "spec", m("replicas", 5)));
        assertJson("""
                {"apiVersion": "autoscaling/v1", "kind": "Scale",
                 "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "42"}, "spec": {"replicas": 5}}
                """, ProtobufBodies.decode(body));
    }

    @Test
    void bodiesThatAreNotProtobufAreBadRequests() {
        assertEquals(400, code("{\"kind\":\"Namespace\"}".getBytes()));
        assertEquals(400, code(new byte[]{'k', '8', 's'}));
        assertEquals(400, code(new byte[]{'k', '8', 's', 0, (byte) 0xff, (byte) 0xff}));
    }

    @Test
    void aBrokenObjectInAGoodEnvelopeIsABadRequest() {
        assertEquals(400, code(envelope("v1", "Namespace", ByteString.copyFrom(new byte[]{0x0a, 0x05, 'a'}))));
        assertEquals(400, code(envelope("", "", m("metadata", m("name", "x")))));
    }

    @Test
    void kindsWithoutAMessageAreUnsupported() {
        assertEquals(415, code(envelope("v1", "Frobnicator", m())));
        assertEquals(415, code(envelope("v1", "ObjectMeta", m())));
        assertEquals(415, code(envelope("example.com/v1", "Deployment", m())));
        assertEquals(415, code(fixture("poddisruptionbudget.bin")), "policy/v1, from kubectl create pdb");
    }

    // --- building bodies the way Go's client does: the k8s\0 magic, then a runtime.Unknown around the object

    /** A message's fields as name/value pairs; map fields take a {@link Map}, repeated ones a {@link List}. */
    private record M(Object... pairs) {
    }

    private static M m(Object... pairs) {
        return new M(pairs);
    }

    private static byte[] body(String apiVersion, String kind, String type, M object) {
        return envelope(apiVersion, kind, build(descriptor(type), object).toByteString());
    }

    private static byte[] envelope(String apiVersion, String kind, M object) {
        return envelope(apiVersion, kind, build(descriptor("k8s.io.api.core.v1.Namespace"), object).toByteString());
    }

    private static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        DynamicMessage unknown = build(descriptor("k8s.io.apimachinery.pkg.runtime.Unknown"), m(
                "typeMeta", m("apiVersion", apiVersion, "kind", kind), "raw", raw, "contentEncoding", "", "contentType", ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{'k', '8', 's', 0});
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }

    private static Descriptor descriptor(String type) {
        Descriptor descriptor = ProtobufBodies.Schema.MESSAGES.get(type);
        assertNotNull(descriptor, type);
        return descriptor;
    }

    private static DynamicMessage build(Descriptor type, M fields) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (int i = 0; i < fields.pairs().length; i += 2) {
            FieldDescriptor field = type.findFieldByName((String) fields.pairs()[i]);
            assertNotNull(field, type.getFullName() + " has no " + fields.pairs()[i]);
            Object value = fields.pairs()[i + 1];
            if (field.isMapField()) {
                Descriptor entry = field.getMessageType();
                for (Map.Entry<?, ?> pair : ((Map<?, ?>) value).entrySet()) {
                    builder.addRepeatedField(field, DynamicMessage.newBuilder(entry)
                            .setField(entry.findFieldByName("key"), pair.getKey())
                            .setField(entry.findFieldByName("value"), proto(entry.findFieldByName("value"), pair.getValue()))
                            .build());
                }
            } else if (field.isRepeated()) {
                ((List<?>) value).forEach(item -> builder.addRepeatedField(field, proto(field, item)));
            } else {
                builder.setField(field, proto(field, value));
            }
        }
        return builder.build();
    }

    private static Object proto(FieldDescriptor field, Object value) {
        if (value instanceof M message) {
            return build(field.getMessageType(), message);
        }
        return value instanceof byte[] bytes ? ByteString.copyFrom(bytes) : value;
    }

    private static int code(byte[] body) {
        return assertThrows(ApiException.class, () -> ProtobufBodies.decode(body)).code();
    }

    private static byte[] fixture(String name) {
        try (InputStream in = ProtobufBodiesTest.class.getResourceAsStream("kubectl-protobuf/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Compared as parsed JSON: member order and int/long nodes do not matter. */
    private static void assertJson(String expected, JsonNode actual) {
        try {
            assertEquals(Json.MAPPER.readTree(expected), Json.MAPPER.readTree(actual.toString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
