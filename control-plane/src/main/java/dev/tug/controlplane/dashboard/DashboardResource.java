package dev.tug.controlplane.dashboard;

import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.ResourceType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds the dashboard shows, and what can be done to them; names and paths come from the API server's own
 * table of resources. Owner references name kinds, links name plurals; this table translates.
 */
enum DashboardResource {
    NODES(Node.class),
    NAMESPACES(Namespace.class),
    DEPLOYMENTS(Deployment.class),
    REPLICASETS(ReplicaSet.class),
    DAEMONSETS(DaemonSet.class),
    JOBS(Job.class),
    CRONJOBS(CronJob.class),
    REPLICATIONCONTROLLERS(ReplicationController.class),
    PODS(Pod.class),
    SERVICES(Service.class),
    CONFIGMAPS(ConfigMap.class),
    SECRETS(Secret.class),
    EVENTS(Event.class);

    final String plural;
    final String kind;
    final String base;
    final boolean namespaced;
    private final boolean scalable;

    DashboardResource(Class<? extends HasMetadata> javaType) {
        ResourceType type = ApiResources.of(javaType);
        this.plural = type.plural();
        this.kind = type.kind();
        this.base = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.apiVersion();
        this.namespaced = type.namespaced();
        this.scalable = type.subresources().contains(ResourceType.SCALE);
    }

    static DashboardResource of(String plural) {
        return Arrays.stream(values()).filter(r -> r.plural.equals(plural)).findFirst()
                .orElseThrow(() -> new DashboardException(404, "the dashboard does not show \"" + plural + "\""));
    }

    static Optional<DashboardResource> ofKind(String kind) {
        return Arrays.stream(values()).filter(r -> r.kind.equals(kind)).findFirst();
    }

    /** What has a {@code scale} subresource: Deployments, ReplicaSets, ReplicationControllers. */
    boolean scalable() {
        return scalable;
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
