package dev.tug.controlplane.dashboard;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds the dashboard shows, with where the API serves them and what can be done to them. Owner
 * references name kinds, links name plurals; this table translates.
 */
enum DashboardResource {
    NODES("nodes", "Node", "/api/v1", false),
    NAMESPACES("namespaces", "Namespace", "/api/v1", false),
    DEPLOYMENTS("deployments", "Deployment", "/apis/apps/v1", true),
    REPLICASETS("replicasets", "ReplicaSet", "/apis/apps/v1", true),
    DAEMONSETS("daemonsets", "DaemonSet", "/apis/apps/v1", true),
    JOBS("jobs", "Job", "/apis/batch/v1", true),
    CRONJOBS("cronjobs", "CronJob", "/apis/batch/v1", true),
    REPLICATIONCONTROLLERS("replicationcontrollers", "ReplicationController", "/api/v1", true),
    PODS("pods", "Pod", "/api/v1", true),
    SERVICES("services", "Service", "/api/v1", true),
    CONFIGMAPS("configmaps", "ConfigMap", "/api/v1", true),
    SECRETS("secrets", "Secret", "/api/v1", true),
    EVENTS("events", "Event", "/api/v1", true);

    final String plural;
    final String kind;
    final String base;
    final boolean namespaced;

    DashboardResource(String plural, String kind, String base, boolean namespaced) {
        this.plural = plural;
        this.kind = kind;
        this.base = base;
        this.namespaced = namespaced;
    }

    static DashboardResource of(String plural) {
        return Arrays.stream(values()).filter(r -> r.plural.equals(plural)).findFirst()
                .orElseThrow(() -> new DashboardException(404, "the dashboard does not show \"" + plural + "\""));
    }

    static Optional<DashboardResource> ofKind(String kind) {
        return Arrays.stream(values()).filter(r -> r.kind.equals(kind)).findFirst();
    }

    boolean scalable() {
        return this == DEPLOYMENTS || this == REPLICASETS || this == REPLICATIONCONTROLLERS;
    }

    boolean restartable() {
        return this == DEPLOYMENTS || this == DAEMONSETS;
    }

    /** The API path of the collection (namespace null or empty: all namespaces) or of one object. */
    String path(String namespace, String name) {
        StringBuilder path = new StringBuilder(base);
        if (namespaced && namespace != null && !namespace.isEmpty()) {
            path.append("/namespaces/").append(namespace);
        }
        path.append('/').append(plural);
        if (name != null) {
            path.append('/').append(name);
        }
        return path.toString();
    }
}
