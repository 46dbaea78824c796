package dev.tug.controlplane.api;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Set;

/**
 * One served resource (e.g. {@code apps/v1 deployments}): how it is named in URLs and discovery,
 * which Java model type holds it, and where it lives in the store.
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        Set<String> subresources,
        Class<? extends HasMetadata> javaType) {

    public static final String STATUS = "status";
    public static final String SCALE = "scale";
    public static final String LOG = "log";
    public static final String BINDING = "binding";

    /** "v1" for the core group, "apps/v1" otherwise: the objects' apiVersion. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String singular() {
        return kind.toLowerCase();
    }

    public boolean hasStatusSubresource() {
        return subresources.contains(STATUS);
    }

    /** The "deployments.apps" form used in Kubernetes messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The "Deployment.apps" form used in Kubernetes validation messages. */
    public String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /** Store prefix for every object of this type, across namespaces. */
    public String keyPrefix() {
        return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
    }

    /** Store prefix for the objects in one namespace (or all objects, when cluster-scoped). */
    public String keyPrefix(String namespace) {
        return namespaced && namespace != null && !namespace.isEmpty() ? keyPrefix() + namespace + "/" : keyPrefix();
    }

    public String key(String namespace, String name) {
        return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
    }

    public List<String> verbs() {
        return kind.equals("Namespace")
                ? List.of("create", "delete", "get", "list", "patch", "update", "watch")
                : List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    }
}
