package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Names;
import dev.tug.controlplane.api.Json;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** What the pages change: an app from the form (a Deployment and a Service), scale, restart and delete. */
final class Actions {
    static final Set<String> EXPOSURES = Set.of("internal", "NodePort", "LoadBalancer");
    /** The image of an app given only a command: busybox has the shell the command runs in on a container runtime. */
    static final String COMMAND_IMAGE = "busybox:stable";
    static final String CREATED_BY = "app.kubernetes.io/created-by";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";

    private final KubeApi api;
    private final Clock clock;

    Actions(KubeApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** The form's fields, as the page sends them. */
    record App(String namespace, String name, String image, String command, int replicas, Integer port, String exposure) {

        static App from(JsonNode body) {
            String port = body.path("port").asText("").strip();
            Integer number;
            try {
                number = port.isEmpty() || port.equals("null") ? null : Integer.valueOf(port);
            } catch (NumberFormatException e) {
                throw new DashboardException(400, "port must be a number from 1 to 65535, not \"" + port + "\"");
            }
            String replicas = body.path("replicas").asText("1").strip();
            int count;
            try {
                count = replicas.isEmpty() ? 1 : Integer.parseInt(replicas);
            } catch (NumberFormatException e) {
                throw new DashboardException(400, "replicas must be a whole number, not \"" + replicas + "\"");
            }
            return new App(text(body, "namespace", "default"), text(body, "name", ""), text(body, "image", ""),
                    text(body, "command", ""), count, number, text(body, "exposure", "internal"));
        }

        private static String text(JsonNode body, String field, String fallback) {
            String value = body.path(field).asText("").strip();
            return value.isEmpty() || value.equals("null") ? fallback : value;
        }

        void check() {
            KubeApi.checkName("namespace", namespace);
            if (name.isEmpty()) {
                throw new DashboardException(400, "the app needs a name");
            }
            // the Service is named after the app, and Service names are DNS-1035 labels
            if (!Names.dns1035Label(name).isEmpty()) {
                throw new DashboardException(400, "name \"" + name + "\" must be a DNS label: up to 63 lower-case"
                        + " letters, digits and '-', starting with a letter");
            }
            if (image.isEmpty() && command.isEmpty()) {
                throw new DashboardException(400, "give an image (docker runtime) or a command (process runtime)");
            }
            if (replicas < 0 || replicas > 1000) {
                throw new DashboardException(400, "replicas must be from 0 to 1000, not " + replicas);
            }
            if (port != null && (port < 1 || port > 65535)) {
                throw new DashboardException(400, "port must be from 1 to 65535, not " + port);
            }
            if (!EXPOSURES.contains(exposure)) {
                throw new DashboardException(400, "exposure must be internal, NodePort or LoadBalancer, not \""
                        + exposure + "\"");
            }
            if (!exposure.equals("internal") && port == null) {
                throw new DashboardException(400, "exposing the app as " + exposure + " needs a port");
            }
        }
    }

    /**
     * Creates the Deployment and, with a port, its Service. Both are first sent as a dry run, so input the API
     * server refuses changes nothing; a Service that fails after the Deployment was made takes the Deployment
     * back out.
     */
    ObjectNode createApp(String token, App app) {
        app.check();
        ObjectNode deployment = deployment(app);
        ObjectNode service = app.port == null ? null : service(app);
        String deployments = DashboardResource.DEPLOYMENTS.path(app.namespace, null);
        String services = DashboardResource.SERVICES.path(app.namespace, null);
        api.send(token, "POST", deployments + "?dryRun=All", deployment, null);
        if (service != null) {
            api.send(token, "POST", services + "?dryRun=All", service, null);
        }
        api.send(token, "POST", deployments, deployment, null);
        ObjectNode result = Json.object();
        result.putObject("deployment").put("name", app.name).put("namespace", app.namespace);
        if (service == null) {
            result.set("service", null);
            return result;
        }
        JsonNode created;
        try {
            created = api.send(token, "POST", services, service, null);
        } catch (DashboardException e) {
            api.send(token, "DELETE", DashboardResource.DEPLOYMENTS.path(app.namespace, app.name)
                    + "?propagationPolicy=Background", null, null);
            throw e;
        }
        JsonNode port = created.path("spec").path("ports").path(0);
        result.putObject("service").put("name", app.name).put("type", created.path("spec").path("type").asText())
                .put("clusterIP", created.path("spec").path("clusterIP").asText(""))
                .put("nodePort", port.has("nodePort") ? port.path("nodePort").asInt() : null);
        return result;
    }

    static ObjectNode deployment(App app) {
        ObjectNode deployment = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode metadata = deployment.putObject("metadata").put("name", app.name).put("namespace", app.namespace);
        metadata.putObject("labels").put("app", app.name).put(CREATED_BY, "tug-dashboard");
        ObjectNode spec = deployment.putObject("spec").put("replicas", app.replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", app.name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", app.name);
        ObjectNode container = template.putObject("spec").putArray("containers").addObject()
                .put("name", app.name).put("image", app.image.isEmpty() ? COMMAND_IMAGE : app.image);
        if (!app.command.isEmpty()) {
            container.putArray("command").add("sh").add("-c").add(app.command);
        }
        ArrayNode env = container.putArray("env");
        env.addObject().put("name", "POD_IP").putObject("valueFrom").putObject("fieldRef").put("fieldPath", "status.podIP");
        if (app.port != null) {
            container.putArray("ports").addObject().put("name", "http").put("containerPort", app.port);
            env.addObject().put("name", "PORT").put("value", String.valueOf(app.port));
        }
        return deployment;
    }

    static ObjectNode service(App app) {
        ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
        ObjectNode metadata = service.putObject("metadata").put("name", app.name).put("namespace", app.namespace);
        metadata.putObject("labels").put("app", app.name).put(CREATED_BY, "tug-dashboard");
        ObjectNode spec = service.putObject("spec").put("type", app.exposure.equals("internal") ? "ClusterIP" : app.exposure);
        spec.putObject("selector").put("app", app.name);
        spec.putArray("ports").addObject().put("name", "http").put("port", app.port).put("targetPort", app.port)
                .put("protocol", "TCP");
        return service;
    }

    ObjectNode scale(String token, DashboardResource resource, String namespace, String name, JsonNode body) {
        if (!resource.scalable()) {
            throw new DashboardException(400, resource.plural + " cannot be scaled");
        }
        JsonNode replicas = body.path("replicas");
        if (!replicas.canConvertToInt() || replicas.asInt() < 0 || replicas.asInt() > 1000) {
            throw new DashboardException(400, "replicas must be a whole number from 0 to 1000");
        }
        ObjectNode patch = Json.object();
        patch.putObject("spec").put("replicas", replicas.asInt());
        JsonNode scale = api.send(token, "PATCH", resource.path(namespace, name) + "/scale", patch, MERGE_PATCH);
        return Json.object().put("replicas", scale.path("spec").path("replicas").asInt());
    }

    /** What kubectl rollout restart does: a new template annotation, so the controller replaces the pods. */
    ObjectNode restart(String token, DashboardResource resource, String namespace, String name) {
        if (!resource.restartable()) {
            throw new DashboardException(400, resource.plural + " cannot be restarted; delete the pod instead");
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode patch = Json.object();
        patch.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
                .put("kubectl.kubernetes.io/restartedAt", now);
        api.send(token, "PATCH", resource.path(namespace, name), patch, STRATEGIC_PATCH);
        return Json.object().put("restartedAt", now);
    }

    /** Deletes the object (its dependents go by garbage collection), and with withService the app's Service. */
    ObjectNode delete(String token, DashboardResource resource, String namespace, String name, boolean withService) {
        ArrayNode deleted = Json.MAPPER.createArrayNode();
        api.send(token, "DELETE", resource.path(namespace, name) + "?propagationPolicy=Background", null, null);
        deleted.add(resource.plural + "/" + name);
        if (withService && resource == DashboardResource.DEPLOYMENTS) {
            try {
                api.send(token, "DELETE", DashboardResource.SERVICES.path(namespace, name), null, null);
                deleted.add("services/" + name);
            } catch (DashboardException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        ObjectNode result = Json.object();
        result.set("deleted", deleted);
        return result;
    }
}
