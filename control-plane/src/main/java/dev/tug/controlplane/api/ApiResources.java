package dev.tug.controlplane.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every resource the API server serves, grouped by API group version, in discovery order. */
public final class ApiResources {

    private static final List<String> ALL = List.of("all");

    private static final List<ResourceType> TYPES = List.of(
            core("Namespace", "namespaces", false, List.of("ns"), List.of(), Set.of("status", "finalize"), Namespace.class),
            core("Node", "nodes", false, List.of("no"), List.of(), Set.of("status"), Node.class),
            core("Pod", "pods", true, List.of("po"), ALL, Set.of("status", "log", "binding"), Pod.class),
            core("ReplicationController", "replicationcontrollers", true, List.of("rc"), ALL, Set.of("status", "scale"),
                    ReplicationController.class),
            core("Service", "services", true, List.of("svc"), ALL, Set.of("status"), Service.class),
            core("Endpoints", "endpoints", true, List.of("ep"), List.of(), Set.of(), Endpoints.class),
            core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), Set.of(), ConfigMap.class),
            core("Secret", "secrets", true, List.of(), List.of(), Set.of(), Secret.class),
            core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), Set.of(), ServiceAccount.class),
            core("Event", "events", true, List.of("ev"), List.of(), Set.of(), Event.class),
            core("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), Set.of("status"),
                    PersistentVolumeClaim.class),
            new ResourceType("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), ALL,
                    Set.of("status", "scale"), Deployment.class),
            new ResourceType("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ALL,
                    Set.of("status", "scale"), ReplicaSet.class),
            new ResourceType("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), ALL,
                    Set.of("status"), DaemonSet.class),
            new ResourceType("batch", "v1", "Job", "jobs", true, List.of(), ALL, Set.of("status"), Job.class),
            new ResourceType("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), ALL, Set.of("status"),
                    CronJob.class),
            // kubectl describe service reads a Service's endpoints from its EndpointSlices
            new ResourceType("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of(),
                    Set.of(), EndpointSlice.class));

    private ApiResources() {
    }

    private static ResourceType core(String kind, String plural, boolean namespaced, List<String> shortNames,
            List<String> categories, Set<String> subresources, Class<? extends HasMetadata> type) {
        return new ResourceType("", "v1", kind, plural, namespaced, shortNames, categories, subresources, type);
    }

    public static List<ResourceType> all() {
        return TYPES;
    }

    /** Group versions in discovery order: "v1" first, then "apps/v1", "batch/v1". */
    public static Map<String, List<ResourceType>> byGroupVersion() {
        Map<String, List<ResourceType>> result = new LinkedHashMap<>();
        for (ResourceType type : TYPES) {
            result.computeIfAbsent(type.apiVersion(), k -> new java.util.ArrayList<>()).add(type);
        }
        return result;
    }

    public static Optional<ResourceType> find(String group, String version, String plural) {
        return TYPES.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return TYPES.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    /** The type a store key belongs to ({@code /registry/apps/deployments/default/web}). */
    public static Optional<ResourceType> forKey(String key) {
        String[] parts = key.split("/");
        if (parts.length < 4 || !parts[1].equals("registry")) {
            return Optional.empty();
        }
        String group = parts[2].equals("core") ? "" : parts[2];
        return TYPES.stream().filter(t -> t.group().equals(group) && t.plural().equals(parts[3])).findFirst();
    }

    /** A store key read back into its type, namespace (null when cluster-scoped) and name. */
    public record ObjectKey(ResourceType type, String namespace, String name) {
    }

    public static Optional<ObjectKey> locate(String key) {
        return forKey(key).map(type -> {
            String[] parts = key.split("/");
            return new ObjectKey(type, type.namespaced() ? parts[parts.length - 2] : null, parts[parts.length - 1]);
        });
    }

    public static ResourceType of(Class<? extends HasMetadata> javaType) {
        return TYPES.stream().filter(t -> t.javaType() == javaType).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not served: " + javaType.getSimpleName()));
    }
}
