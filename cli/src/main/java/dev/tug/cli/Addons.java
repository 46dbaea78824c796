package dev.tug.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tug.bootstrap.Artifact;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.Machine;
import dev.tug.model.Addon;
import dev.tug.model.Cluster;
import dev.tug.state.CertificateAuthority;
import dev.tug.state.ClusterLayout;
import dev.tug.state.ClusterRepository;
import dev.tug.state.Precondition;
import dev.tug.templates.Templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cluster's add-ons: manifests rendered from {@code templates/addons}, applied through the API server.
 * Every object an add-on makes carries the add-on's name, version and the manifest's checksum, so an update
 * re-applies an add-on only when its version or manifest changed (or one of its objects was removed), deletes
 * what an older manifest made, and removes a disabled add-on. The manifest applied is kept in the state store
 * as {@code addons/NAME/VERSION.yaml}.
 */
final class Addons {
    static final String ADDON_LABEL = "tug.dev/addon";
    static final String VERSION_ANNOTATION = "tug.dev/addon-version";
    static final String HASH_ANNOTATION = "tug.dev/addon-manifest-sha256";
    static final String NAMESPACE = "kube-system";
    static final String DASHBOARD_SERVICE = "tug-dashboard";
    static final String TLS_SECRET = "tug-dashboard-tls";
    private static final int DASHBOARD_PORT = 9443;
    private static final java.time.Duration CERTIFICATE_VALIDITY = java.time.Duration.ofDays(365);
    private static final java.time.Duration CERTIFICATE_RENEW_BEFORE = java.time.Duration.ofDays(30);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Where the API serves each kind an add-on may hold, in the order pruning deletes them (workloads first). */
    private static final Map<String, String[]> PATHS = new java.util.LinkedHashMap<>();

    static {
        PATHS.put("Deployment", new String[] {"/apis/apps/v1", "deployments"});
        PATHS.put("DaemonSet", new String[] {"/apis/apps/v1", "daemonsets"});
        PATHS.put("Service", new String[] {"/api/v1", "services"});
        PATHS.put("ConfigMap", new String[] {"/api/v1", "configmaps"});
        PATHS.put("Secret", new String[] {"/api/v1", "secrets"});
        PATHS.put("ServiceAccount", new String[] {"/api/v1", "serviceaccounts"});
    }

    private Addons() {
    }

    /** One add-on ready to apply. */
    record Rendered(String name, String version, String manifest, String sha256, List<ObjectNode> objects) {
    }

    /** An add-on that is not healthy, as validate reports it. */
    record Problem(String name, String message) {
    }

    /** The cluster's enabled add-ons (spec.addons), rendered for its control-plane machine. */
    static List<Rendered> render(Cluster cluster, Machine controlPlane, ClusterSettings settings, String java, Artifact jar,
                                 String dashboardCertificateSha256) {
        List<Rendered> rendered = new ArrayList<>();
        for (Addon addon : cluster.spec.addons.stream().filter(Addon::enabled).toList()) {
            String shipped = VersionCommand.version();
            if (addon.version != null && !addon.version.equals(shipped)) {
                throw new UserException("spec.addons: " + addon.name + " version " + addon.version + " is not the one this"
                        + " tug ships (" + shipped + "); remove the version to take it, or use the tug of that version");
            }
            if (!addon.name.equals(Addon.DASHBOARD)) {
                throw new UserException("spec.addons: this tug does not know the add-on \"" + addon.name + "\"");
            }
            Map<String, Object> model = new HashMap<>();
            model.put("version", shipped);
            model.put("nodeName", controlPlane.nodeName());
            model.put("java", java);
            model.put("jar", controlPlane.paths().jar());
            model.put("jarSha256", jar.sha256());
            model.put("caFile", controlPlane.paths().pki() + "/ca.crt");
            model.put("apiServer", "https://" + controlPlane.address() + ":" + settings.apiPort());
            model.put("port", DASHBOARD_PORT);
            model.put("tlsSha256", dashboardCertificateSha256);
            String manifest = Templates.render("addons/" + addon.name + ".yaml", model);
            rendered.add(new Rendered(addon.name, shipped, manifest,
                    Artifact.sha256(manifest.getBytes(StandardCharsets.UTF_8)), objects(manifest)));
        }
        return rendered;
    }

    private static List<ObjectNode> objects(String manifest) {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(manifest)) {
            var values = YAML.readValues(parser, ObjectNode.class);
            while (values.hasNext()) {
                ObjectNode object = values.next();
                if (object != null && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("add-on manifest is not YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    /**
     * Creates the add-on's objects that are missing, replaces those made from another manifest and deletes
     * those the manifest no longer has. Returns what changed ("created deployments/tug-dashboard"); empty when
     * the add-on was already as rendered.
     */
    static List<String> apply(ClusterApi api, ClusterRepository repository, String cluster, Rendered addon,
                              Consumer<String> log) {
        List<String> changes = new ArrayList<>();
        for (ObjectNode desired : addon.objects()) {
            ObjectNode object = stamped(desired, addon);
            String kind = object.path("kind").asText();
            String[] where = PATHS.get(kind);
            String namespace = object.path("metadata").path("namespace").asText(NAMESPACE);
            String name = object.path("metadata").path("name").asText();
            String collection = where[0] + "/namespaces/" + namespace + "/" + where[1];
            ClusterApi.Answer live = api.send("GET", collection + "/" + name, null);
            String id = where[1] + "/" + name;
            if (live.status() == 404) {
                require(api.send("POST", collection, object), addon, id);
                changes.add("created " + id);
            } else if (!live.ok()) {
                throw new UserException("add-on " + addon.name() + ": reading " + id + " failed: " + live.message());
            } else if (!addon.sha256().equals(live.body().path("metadata").path("annotations").path(HASH_ANNOTATION).asText())) {
                keepAllocated(object, live.body());
                require(api.send("PUT", collection + "/" + name, object), addon, id);
                changes.add("updated " + id);
            }
        }
        // every object of this manifest now carries its checksum: one with another came from an older manifest
        changes.addAll(prune(api, addon.name(), addon.sha256()));
        String record = ClusterLayout.addon(cluster, addon.name(), addon.version());
        if (!changes.isEmpty() || repository.store().read(record).isEmpty()) {
            repository.store().write(record, addon.manifest().getBytes(StandardCharsets.UTF_8), Precondition.none());
        }
        log.accept("Phase addons: " + addon.name() + " " + addon.version() + (changes.isEmpty() ? " is up to date"
                : ": " + String.join(", ", changes)));
        return changes;
    }

    /**
     * Removes a disabled add-on: every object with its label (the dashboard's certificate too) and the manifests
     * kept in the state store. Returns what it deleted.
     */
    static List<String> remove(ClusterApi api, ClusterRepository repository, String cluster, String addon,
                               Consumer<String> log) {
        List<String> deleted = prune(api, addon, null);
        repository.store().list(ClusterLayout.addonRecords(cluster, addon)).forEach(repository.store()::delete);
        log.accept("Phase addons: " + addon + " is disabled" + (deleted.isEmpty() ? "" : ": " + String.join(", ", deleted)));
        return deleted;
    }

    /**
     * Deletes the add-on's objects stamped with a manifest checksum other than {@code manifestSha256}, or, when
     * that is null, every object with the add-on's label. Owned objects (a Deployment's pods) go with their owner.
     */
    private static List<String> prune(ClusterApi api, String addon, String manifestSha256) {
        List<String> deleted = new ArrayList<>();
        for (String[] where : PATHS.values()) {
            ClusterApi.Answer listed = api.send("GET", where[0] + "/" + where[1] + "?labelSelector=" + ADDON_LABEL + "%3D" + addon, null);
            if (!listed.ok()) {
                throw new UserException("add-on " + addon + ": listing its " + where[1] + " failed: " + listed.message());
            }
            for (JsonNode object : listed.body().path("items")) {
                String checksum = object.path("metadata").path("annotations").path(HASH_ANNOTATION).asText(null);
                if (manifestSha256 != null && (checksum == null || checksum.equals(manifestSha256))) {
                    continue;
                }
                String name = object.path("metadata").path("name").asText();
                String path = where[0] + "/namespaces/" + object.path("metadata").path("namespace").asText() + "/"
                        + where[1] + "/" + name;
                ClusterApi.Answer answer = api.send("DELETE", path, null);
                if (!answer.ok() && answer.status() != 404) {
                    throw new UserException("add-on " + addon + ": the API server refused to delete " + where[1] + "/"
                            + name + ": " + answer.message());
                }
                deleted.add("deleted " + where[1] + "/" + name);
            }
        }
        return deleted;
    }

    private static void require(ClusterApi.Answer answer, Rendered addon, String id) {
        if (!answer.ok()) {
            throw new UserException("add-on " + addon.name() + ": the API server refused " + id + ": " + answer.message());
        }
    }

    /** The add-on's labels and annotations on a copy of one of its objects, and on a workload's pods. */
    private static ObjectNode stamped(ObjectNode desired, Rendered addon) {
        ObjectNode object = desired.deepCopy();
        ObjectNode metadata = object.withObjectProperty("metadata");
        metadata.withObjectProperty("labels").put(ADDON_LABEL, addon.name());
        metadata.withObjectProperty("annotations").put(VERSION_ANNOTATION, addon.version())
                .put(HASH_ANNOTATION, addon.sha256());
        if (object.path("spec").path("template").isObject()) {
            object.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("metadata")
                    .withObjectProperty("labels").put(ADDON_LABEL, addon.name());
        }
        return object;
    }

    /**
     * A replace sends the whole object: it names the version it replaces, and a Service keeps the addresses and
     * node ports it was given, so the dashboard's URL survives an upgrade.
     */
    private static void keepAllocated(ObjectNode object, JsonNode live) {
        object.withObjectProperty("metadata").put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
        if (!object.path("kind").asText().equals("Service")) {
            return;
        }
        ObjectNode spec = object.withObjectProperty("spec");
        JsonNode liveSpec = live.path("spec");
        for (String field : List.of("clusterIP", "clusterIPs")) {
            if (liveSpec.has(field)) {
                spec.set(field, liveSpec.get(field));
            }
        }
        for (JsonNode port : spec.path("ports")) {
            for (JsonNode livePort : liveSpec.path("ports")) {
                if (port.path("name").asText().equals(livePort.path("name").asText()) && livePort.has("nodePort")) {
                    ((ObjectNode) port).set("nodePort", livePort.get("nodePort"));
                }
            }
        }
    }

    /** What the API server says of an add-on's workloads: pods ready of desired, and the version they came from. */
    private record Workloads(int ready, int desired, String version) {
    }

    /** The add-ons' Deployments by add-on name; empty when the API server does not answer. */
    private static java.util.Optional<Map<String, Workloads>> workloads(ClusterApi api) {
        return api.getJson("/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments?labelSelector=" + ADDON_LABEL).map(body -> {
            Map<String, Workloads> byAddon = new HashMap<>();
            for (JsonNode deployment : body.path("items")) {
                Workloads one = new Workloads(deployment.path("status").path("readyReplicas").asInt(0),
                        deployment.path("spec").path("replicas").asInt(1),
                        deployment.path("metadata").path("annotations").path(VERSION_ANNOTATION).asText(null));
                byAddon.merge(deployment.path("metadata").path("labels").path(ADDON_LABEL).asText(), one,
                        (a, b) -> new Workloads(a.ready + b.ready, a.desired + b.desired, b.version != null ? b.version : a.version));
            }
            return byAddon;
        });
    }

    /**
     * The cluster's add-ons that are not applied or whose pods are not all ready, and disabled ones still running;
     * nothing when the API is silent.
     */
    static List<Problem> problems(ClusterApi api, Cluster cluster) {
        List<Problem> problems = new ArrayList<>();
        workloads(api).ifPresent(byAddon -> {
            for (Addon addon : cluster.spec.addons) {
                Workloads count = byAddon.get(addon.name);
                if (!addon.enabled()) {
                    if (count != null) {
                        problems.add(new Problem(addon.name, "add-on " + addon.name + " is disabled but still runs; run"
                                + " `tug update cluster " + cluster.name() + " --yes`"));
                    }
                } else if (count == null) {
                    problems.add(new Problem(addon.name, "add-on " + addon.name + " is not applied; run `tug update"
                            + " cluster " + cluster.name() + " --yes`"));
                } else if (count.ready < count.desired) {
                    problems.add(new Problem(addon.name, "add-on " + addon.name + ": " + count.ready + " of " + count.desired
                            + " pods ready"));
                }
            }
        });
        return problems;
    }

    /**
     * An add-on as `tug get addons` shows it: the version applied (from the state store), its pods ready (from
     * the API server; "unknown" when it does not answer) and, for the dashboard, its node-port URL and its path
     * behind the API server's service proxy.
     */
    static GetCommand.GetAddons.AddonStatus status(ClusterApi api, ClusterRepository repository, String cluster,
                                                   String addon, List<Machine> machines) {
        // the version the live objects say they were made from; the state store's record when the API is silent
        List<String> records = repository.store().list(ClusterLayout.addonRecords(cluster, addon));
        String recorded = records.size() == 1 ? records.get(0).replaceAll(".*/", "").replaceAll("\\.yaml$", "")
                : "not applied";
        var live = workloads(api);
        Workloads mine = live.map(byAddon -> byAddon.get(addon)).orElse(null);
        String version = mine != null && mine.version != null ? mine.version : recorded;
        String ready = live.isEmpty() ? "unknown" : mine == null ? "0/0" : mine.ready + "/" + mine.desired;
        List<String> urls = new ArrayList<>();
        if (addon.equals(Addon.DASHBOARD)) {
            String address = machines.stream().filter(Machine::controlPlane).map(Machine::address).findFirst().orElse("");
            dashboardNodePort(api).ifPresent(port -> urls.add("https://" + address + ":" + port + "/"));
            urls.add("http://127.0.0.1:8001" + dashboardProxyPath() + " (with `kubectl proxy`)");
        }
        return new GetCommand.GetAddons.AddonStatus(addon, version, ready, urls);
    }

    /**
     * The dashboard's serving certificate, in the Secret {@code tug-dashboard-tls}: issued by the cluster CA for
     * every machine's address (its node port answers on each) and the Service's names, and kept while it names
     * the same addresses and has a month or more left. Returns the certificate's SHA-256, which goes into the pod
     * template so that a new certificate restarts the dashboard.
     */
    static String dashboardCertificate(ClusterApi api, CertificateAuthority ca, List<Machine> machines,
                                       Consumer<String> log) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        machines.forEach(m -> names.add(m.address()));
        names.addAll(List.of("localhost", "127.0.0.1", DASHBOARD_SERVICE, DASHBOARD_SERVICE + "." + NAMESPACE,
                DASHBOARD_SERVICE + "." + NAMESPACE + ".svc", DASHBOARD_SERVICE + "." + NAMESPACE + ".svc.cluster.local"));
        String path = "/api/v1/namespaces/" + NAMESPACE + "/secrets/" + TLS_SECRET;
        ClusterApi.Answer live = api.send("GET", path, null);
        if (live.ok()) {
            String certificate = decode(live.body().path("data").path("tls.crt").asText(""));
            if (!live.body().path("data").path("tls.key").asText("").isEmpty()
                    && ca.signedFor(certificate, DASHBOARD_SERVICE, List.copyOf(names), CERTIFICATE_RENEW_BEFORE)) {
                return Artifact.sha256(certificate.getBytes(StandardCharsets.US_ASCII));
            }
        } else if (live.status() != 404) {
            throw new UserException("add-on dashboard: reading secrets/" + TLS_SECRET + " failed: " + live.message());
        }
        CertificateAuthority.IssuedCertificate issued = ca.issue(DASHBOARD_SERVICE, List.of(), List.copyOf(names), false,
                CERTIFICATE_VALIDITY);
        ObjectNode secret = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Secret")
                .put("type", "kubernetes.io/tls");
        ObjectNode metadata = secret.putObject("metadata").put("name", TLS_SECRET).put("namespace", NAMESPACE);
        metadata.putObject("labels").put(ADDON_LABEL, Addon.DASHBOARD);
        secret.putObject("data").put("tls.crt", encode(issued.certificatePem())).put("tls.key", encode(issued.privateKeyPem()));
        if (live.ok()) {
            metadata.put("resourceVersion", live.body().path("metadata").path("resourceVersion").asText());
        }
        ClusterApi.Answer written = live.ok() ? api.send("PUT", path, secret)
                : api.send("POST", "/api/v1/namespaces/" + NAMESPACE + "/secrets", secret);
        if (!written.ok()) {
            throw new UserException("add-on dashboard: the API server refused secrets/" + TLS_SECRET + ": " + written.message());
        }
        log.accept("Phase addons: dashboard certificate issued for " + String.join(", ", names.stream()
                .filter(n -> !n.startsWith(DASHBOARD_SERVICE)).toList()));
        return Artifact.sha256(issued.certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    private static String encode(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The dashboard's node port, when its Service is there. */
    static java.util.Optional<Integer> dashboardNodePort(ClusterApi api) {
        return api.getJson("/api/v1/namespaces/" + NAMESPACE + "/services/" + DASHBOARD_SERVICE)
                .map(body -> body.path("spec").path("ports").path(0).path("nodePort").asInt(0))
                .filter(port -> port > 0);
    }

    /** The dashboard through the API server's service proxy (with `kubectl proxy`, under http://127.0.0.1:8001). */
    static String dashboardProxyPath() {
        return "/api/v1/namespaces/" + NAMESPACE + "/services/https:" + DASHBOARD_SERVICE + ":https/proxy/";
    }
}
