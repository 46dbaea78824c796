package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real kubectl against {@code tug server}: the workflows operators use every day. */
class KubectlTest {

    @TempDir
    static Path dir;
    static ApiServer server;
    static Kubectl kubectl;

    static final String SHOP = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
              namespace: shop
            data:
              greeting: hello
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: web-secret
              namespace: shop
            stringData:
              password: s3cret
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels:
                app: web
                tier: front
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
                    env:
                    - name: GREETING
                      value: hello
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
            spec:
              selector:
                app: web
              ports:
              - name: http
                port: 80
                targetPort: 80
            """;

    @BeforeAll
    static void start() throws Exception {
        server = ApiServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), null, null, null,
                tokenFile(), "test"));
        kubectl = new Kubectl(server.adminKubeconfig(), Files.createDirectories(dir.resolve("home")));
    }

    static Path tokenFile() throws Exception {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "t0ken-for-tests,alice,1001,\"system:masters\"\n");
        return file;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void appliesAMultiDocumentFileAndShowsItTheKubectlWay() {
        String applied = kubectl.apply(SHOP.replace("shop", "shop1"));
        assertTrue(applied.contains("namespace/shop1 created"), applied);
        assertTrue(applied.contains("configmap/web-config created"), applied);
        assertTrue(applied.contains("secret/web-secret created"), applied);
        assertTrue(applied.contains("deployment.apps/web created"), applied);
        assertTrue(applied.contains("service/web created"), applied);

        String again = kubectl.apply(SHOP.replace("shop", "shop1"));
        assertTrue(again.contains("deployment.apps/web unchanged"), again);

        String wide = kubectl.ok("get", "deployments", "-n", "shop1", "-o", "wide");
        assertTrue(wide.lines().findFirst().orElse("").matches(
                "NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR\\s*"), wide);
        assertTrue(wide.contains("nginx:1.27") && wide.contains("app=web"), wide);

        String services = kubectl.ok("get", "svc", "-n", "shop1");
        assertTrue(services.contains("TYPE") && services.contains("CLUSTER-IP") && services.contains("PORT(S)"), services);
        assertTrue(services.contains("80/TCP"), services);

        String yaml = kubectl.ok("get", "configmap", "web-config", "-n", "shop1", "-o", "yaml");
        assertTrue(yaml.contains("greeting: hello"), yaml);
        assertTrue(yaml.matches("(?s).*resourceVersion: \"\\d+\".*"), yaml);
        assertTrue(yaml.matches("(?s).*uid: [0-9a-f-]{36}.*"), yaml);

        String secret = kubectl.ok("get", "secret", "web-secret", "-n", "shop1", "-o", "jsonpath={.data.password}");
        assertEquals("czNjcmV0", secret, "stringData is stored base64-encoded in data");

        String selected = kubectl.ok("get", "deploy", "-n", "shop1", "-l", "tier in (front,back)", "-o", "name");
        assertEquals("deployment.apps/web\n", selected);
        assertEquals("", kubectl.ok("get", "deploy", "-n", "shop1", "-l", "tier=back", "-o", "name"));

        String defaults = kubectl.ok("get", "deploy", "web", "-n", "shop1", "-o",
                "jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.metadata.generation}");
        assertEquals("25% 10 1", defaults);
    }

    @Test
    void aBindingAssignsAPodOnce() throws Exception {
        kubectl.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: unbound, namespace: default}
                spec:
                  schedulerName: my-scheduler
                  containers: [{name: c, image: busybox, command: ["sleep", "60"]}]
                """);
        String binding = """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"unbound"},"target":{"kind":"Node","name":"node-a"}}""";
        Path file = java.nio.file.Files.writeString(dir.resolve("binding.json"), binding);
        kubectl.ok("create", "--raw", "/api/v1/namespaces/default/pods/unbound/binding", "-f", file.toString());
        assertEquals("node-a", kubectl.ok("get", "pod", "unbound", "-o", "jsonpath={.spec.nodeName}"));
        Kubectl.Result again = kubectl.run("create", "--raw", "/api/v1/namespaces/default/pods/unbound/binding", "-f",
                file.toString());
        assertTrue(again.exit() != 0 && again.err().contains("already assigned to node"), again.err());
        JsonNode discovery = Json.MAPPER.readTree(kubectl.ok("get", "--raw", "/api/v1"));
        boolean advertised = false;
        for (JsonNode resource : discovery.path("resources")) {
            advertised |= resource.path("name").asText().equals("pods/binding")
                    && resource.path("verbs").toString().equals("[\"create\"]");
        }
        assertTrue(advertised, "discovery lists pods/binding with verb create");
    }

    @Test
    void createSubcommandsSendProtobufBodiesTheServerDecodes() throws Exception {
        // kubectl create namespace|configmap|deployment|secret use typed clients, which send
        // application/vnd.kubernetes.protobuf bodies (before the descriptors were compiled in: 415)
        Kubectl.Result namespace = kubectl.run("create", "namespace", "typed", "-v=8");
        assertEquals(0, namespace.exit(), namespace.err());
        assertTrue(namespace.out().contains("namespace/typed created"), namespace.out());
        assertTrue(namespace.err().contains("Content-Type: application/vnd.kubernetes.protobuf"),
                "kubectl sent the namespace as protobuf: " + namespace.err());
        assertTrue(kubectl.ok("create", "configmap", "c", "--from-literal=a=b", "-n", "typed")
                .contains("configmap/c created"));
        assertTrue(kubectl.ok("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "typed")
                .contains("deployment.apps/web created"));
        assertTrue(kubectl.ok("create", "secret", "generic", "s", "--from-literal=k=v", "-n", "typed")
                .contains("secret/s created"));

        JsonNode ns = Json.MAPPER.readTree(kubectl.ok("get", "namespace", "typed", "-o", "json"));
        assertEquals("Namespace", ns.path("kind").asText());
        assertEquals("typed", ns.path("metadata").path("name").asText());
        assertEquals("Active", ns.path("status").path("phase").asText());

        JsonNode cm = Json.MAPPER.readTree(kubectl.ok("get", "configmap", "c", "-n", "typed", "-o", "json"));
        assertEquals("ConfigMap", cm.path("kind").asText());
        assertEquals("typed", cm.path("metadata").path("namespace").asText());
        assertEquals("{\"a\":\"b\"}", cm.path("data").toString());
        assertTrue(cm.path("metadata").path("creationTimestamp").isTextual(), cm.toString());

        JsonNode deploy = Json.MAPPER.readTree(kubectl.ok("get", "deployment", "web", "-n", "typed", "-o", "json"));
        assertEquals("apps/v1", deploy.path("apiVersion").asText());
        assertEquals("Deployment", deploy.path("kind").asText());
        assertEquals("web", deploy.path("metadata").path("labels").path("app").asText());
        JsonNode spec = deploy.path("spec");
        assertEquals(2, spec.path("replicas").asInt(), deploy.toString());
        assertEquals("{\"app\":\"web\"}", spec.path("selector").path("matchLabels").toString());
        assertEquals("{\"app\":\"web\"}", spec.path("template").path("metadata").path("labels").toString());
        JsonNode containers = spec.path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), deploy.toString());
        assertEquals("nginx", containers.get(0).path("name").asText());
        assertEquals("nginx", containers.get(0).path("image").asText());
        assertEquals("RollingUpdate", spec.path("strategy").path("type").asText(), "defaults applied as for JSON");
        assertEquals(1, deploy.path("metadata").path("generation").asInt());

        JsonNode secret = Json.MAPPER.readTree(kubectl.ok("get", "secret", "s", "-n", "typed", "-o", "json"));
        assertEquals("Secret", secret.path("kind").asText());
        assertEquals("Opaque", secret.path("type").asText());
        assertEquals("{\"k\":\"dg==\"}", secret.path("data").toString(), "v, base64-encoded");
    }

    @Test
    void describesEditsScalesLabelsAndAnnotates() throws Exception {
        kubectl.apply(SHOP.replace("shop", "shop2"));
        String described = kubectl.ok("describe", "deployment", "web", "-n", "shop2");
        assertTrue(described.contains("Name:") && described.contains("web"), described);
        assertTrue(described.contains("nginx:1.27"), described);
        assertTrue(described.contains("RollingUpdate"), described);

        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/greeting: hello/greeting: bonjour/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Kubectl.Result edited = kubectl.run(Map.of("KUBE_EDITOR", editor.toString()), null,
                "edit", "configmap", "web-config", "-n", "shop2");
        assertEquals(0, edited.exit(), edited.err());
        assertTrue(edited.out().contains("configmap/web-config edited"), edited.out());
        assertEquals("bonjour", kubectl.ok("get", "cm", "web-config", "-n", "shop2", "-o", "jsonpath={.data.greeting}"));

        assertTrue(kubectl.ok("scale", "deployment", "web", "-n", "shop2", "--replicas=5").contains("scaled"));
        assertEquals("5 2", kubectl.ok("get", "deploy", "web", "-n", "shop2", "-o",
                "jsonpath={.spec.replicas} {.metadata.generation}"));

        assertTrue(kubectl.ok("label", "deployment", "web", "-n", "shop2", "release=blue").contains("labeled"));
        assertTrue(kubectl.ok("annotate", "deployment", "web", "-n", "shop2", "owner=ops").contains("annotated"));
        assertEquals("blue ops", kubectl.ok("get", "deploy", "web", "-n", "shop2", "-o",
                "jsonpath={.metadata.labels.release} {.metadata.annotations.owner}"));
        kubectl.ok("label", "deployment", "web", "-n", "shop2", "release-");
        assertEquals("", kubectl.ok("get", "deploy", "web", "-n", "shop2", "-o", "jsonpath={.metadata.labels.release}"));

        String changedImage = SHOP.replace("shop", "shop2").replace("nginx:1.27", "nginx:1.28")
                .replace("        env:\n        - name: GREETING\n          value: hello\n", "");
        String reapplied = kubectl.apply(changedImage);
        assertTrue(reapplied.contains("deployment.apps/web configured"), reapplied);
        assertEquals("nginx:1.28|", kubectl.ok("get", "deploy", "web", "-n", "shop2", "-o",
                "jsonpath={.spec.template.spec.containers[0].image}|{.spec.template.spec.containers[0].env}"));
    }

    @Test
    void watchSeesAnUpdate() throws Exception {
        kubectl.apply(namespace("watched") + configMap("watched", "cm", "k: v1"));
        Process watch = kubectl.start(Map.of(), "get", "configmaps", "cm", "-n", "watched", "-w",
                "-o", "jsonpath={.data.k}{\"\\n\"}");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process is destroyed at the end of the test
            }
        });
        reader.start();
        try {
            assertEquals("v1", lines.poll(30, TimeUnit.SECONDS));
            kubectl.ok("patch", "configmap", "cm", "-n", "watched", "-p", "{\"data\":{\"k\":\"v2\"}}");
            assertEquals("v2", lines.poll(30, TimeUnit.SECONDS), "the watch delivers the update");
        } finally {
            watch.destroyForcibly();
        }
    }

    @Test
    void refusesAConflictingUpdateAndAnInvalidObject() {
        kubectl.apply(namespace("strict") + configMap("strict", "cm", "k: v1"));
        String stale = kubectl.ok("get", "configmap", "cm", "-n", "strict", "-o", "yaml");
        kubectl.ok("patch", "configmap", "cm", "-n", "strict", "-p", "{\"data\":{\"k\":\"v2\"}}");
        Kubectl.Result conflict = kubectl.run(Map.of(), stale.replace("k: v1", "k: v3"), "replace", "-f", "-");
        assertNotEquals(0, conflict.exit());
        assertTrue(conflict.err().contains("the object has been modified"), conflict.err());
        assertEquals("v2", kubectl.ok("get", "cm", "cm", "-n", "strict", "-o", "jsonpath={.data.k}"));

        String noImage = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken, namespace: strict}
                spec:
                  selector: {matchLabels: {app: broken}}
                  template:
                    metadata: {labels: {app: broken}}
                    spec:
                      containers:
                      - name: main
                """;
        Kubectl.Result invalid = kubectl.run(Map.of(), noImage, "apply", "-f", "-");
        assertNotEquals(0, invalid.exit());
        assertTrue(invalid.err().contains("The Deployment \"broken\" is invalid"), invalid.err());
        assertTrue(invalid.err().contains("spec.template.spec.containers[0].image: Required value"), invalid.err());

        Kubectl.Result unknownField = kubectl.run(Map.of(), noImage.replace("- name: main", "- name: main\n"
                + "        image: busybox\n        imagePolicy: Always"), "apply", "-f", "-");
        assertNotEquals(0, unknownField.exit());
        assertTrue(unknownField.err().contains("unknown field"), unknownField.err());
        assertTrue(unknownField.err().contains("imagePolicy"), unknownField.err());
    }

    @Test
    void refusesUnauthenticatedRequestsAndAcceptsBearerTokens() throws Exception {
        KeyStore trust = TlsFiles.trustStore(dir.resolve("data/pki/ca.crt"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        HttpResponse<String> anonymous = HttpClient.newBuilder().sslContext(tls).build().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("\"reason\":\"Unauthorized\""), anonymous.body());

        Path tokenOnly = dir.resolve("token.kubeconfig");
        Files.writeString(tokenOnly, Files.readString(server.adminKubeconfig())
                .replaceAll("client-certificate-data: .*", "token: wrong")
                .replaceAll("\\s*client-key-data: .*", ""));
        Kubectl stranger = new Kubectl(tokenOnly, dir.resolve("home"));
        Kubectl.Result refused = stranger.run("get", "namespaces");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.err().contains("You must be logged in to the server (Unauthorized)"), refused.err());

        Kubectl.Result withToken = stranger.run("--token=t0ken-for-tests", "get", "namespace", "default", "-o", "name");
        assertEquals(0, withToken.exit(), withToken.err());
        assertEquals("namespace/default\n", withToken.out());
    }

    @Test
    void podsShowKubectlsColumnsAndSayWhyThereAreNoLogsYet() {
        Kubectl.Result run = kubectl.run("run", "lonely", "--image=busybox:1.36", "-n", "default", "--", "sleep", "60");
        assertEquals(0, run.exit(), run.err());
        String pods = kubectl.ok("get", "pods", "-n", "default");
        assertTrue(pods.lines().findFirst().orElse("").matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s*"), pods);
        assertTrue(pods.matches("(?s).*lonely\\s+0/1\\s+Pending\\s+0\\s+\\d+s.*"), pods);
        assertEquals("Pending", kubectl.ok("get", "pods", "-n", "default", "--field-selector=status.phase=Pending",
                "-o", "jsonpath={.items[0].status.phase}"));
        Kubectl.Result logs = kubectl.run("logs", "lonely", "-n", "default");
        assertNotEquals(0, logs.exit());
        assertTrue(logs.err().contains("is waiting to start: the pod is not scheduled to a node yet"), logs.err());
        assertTrue(kubectl.ok("delete", "pod", "lonely", "-n", "default").contains("pod \"lonely\" deleted"),
                "an unscheduled pod goes at once");
    }

    @Test
    void discoveryListsExactlyWhatIsServed() {
        String resources = kubectl.ok("api-resources", "--no-headers", "-o", "name");
        assertEquals(String.join("\n", "configmaps", "endpoints", "events", "namespaces", "nodes",
                "persistentvolumeclaims", "pods", "replicationcontrollers", "secrets", "serviceaccounts", "services",
                "daemonsets.apps", "deployments.apps", "replicasets.apps", "cronjobs.batch", "jobs.batch",
                "endpointslices.discovery.k8s.io") + "\n",
                resources);
        assertEquals("apps/v1\nbatch/v1\ndiscovery.k8s.io/v1\nv1\n", kubectl.ok("api-versions"));
    }

    @Test
    void namespacesGetADefaultServiceAccountAndTakeTheirObjectsWithThem() throws Exception {
        kubectl.apply(SHOP.replace("shop", "doomed"));
        eventually(() -> kubectl.run("get", "serviceaccount", "default", "-n", "doomed").exit() == 0,
                "the default ServiceAccount appears");
        assertTrue(kubectl.ok("delete", "namespace", "doomed", "--timeout=60s").contains("namespace \"doomed\" deleted"));
        assertTrue(kubectl.run("get", "namespace", "doomed").err().contains("not found"));
        kubectl.apply(namespace("doomed"));
        assertEquals("", kubectl.ok("get", "configmaps,secrets,deployments,services", "-n", "doomed", "-o", "name"),
                "a namespace re-created with the same name starts empty");
    }

    @Test
    void garbageCollectsDependentsInTheBackgroundInTheForegroundOrNotAtAll() throws Exception {
        kubectl.apply(namespace("gc"));
        for (String cascade : new String[] {"background", "foreground", "orphan"}) {
            kubectl.apply(configMap("gc", "owner-" + cascade, "k: v"));
            String uid = kubectl.ok("get", "cm", "owner-" + cascade, "-n", "gc", "-o", "jsonpath={.metadata.uid}");
            kubectl.apply("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: dependent-%s
                      namespace: gc
                      ownerReferences:
                      - apiVersion: v1
                        kind: ConfigMap
                        name: owner-%s
                        uid: %s
                        blockOwnerDeletion: true
                    """.formatted(cascade, cascade, uid));
            kubectl.ok("delete", "configmap", "owner-" + cascade, "-n", "gc", "--cascade=" + cascade, "--timeout=60s");
        }
        eventually(() -> kubectl.run("get", "cm", "dependent-background", "-n", "gc").exit() != 0,
                "a background delete collects the dependent");
        assertNotEquals(0, kubectl.run("get", "cm", "dependent-foreground", "-n", "gc").exit(),
                "a foreground delete returns only after the dependent is gone");
        assertEquals("", kubectl.ok("get", "cm", "dependent-orphan", "-n", "gc", "-o",
                "jsonpath={.metadata.ownerReferences}"), "an orphaned dependent stays, released from its owner");
    }

    @Test
    void deleteFileRemovesEverythingItNames() throws Exception {
        kubectl.apply(SHOP.replace("shop", "gone"));
        Kubectl.Result deleted = kubectl.run(Map.of(), SHOP.replace("shop", "gone"), "delete", "-f", "-");
        assertEquals(0, deleted.exit(), deleted.err());
        assertTrue(deleted.out().contains("namespace \"gone\" deleted"), deleted.out());
        assertTrue(deleted.out().contains("deployment.apps \"web\" deleted"), deleted.out());
        eventually(() -> kubectl.run("get", "namespace", "gone").exit() != 0, "the namespace goes away");
        assertTrue(kubectl.run("get", "configmap", "web-config", "-n", "gone").err().contains("not found"));
    }

    static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n---\n";
    }

    static String configMap(String namespace, String name, String data) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: " + namespace
                + "\ndata:\n  " + data + "\n---\n";
    }

    static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(200);
        }
        assertFalse(true, "timed out waiting until " + what);
    }
}
