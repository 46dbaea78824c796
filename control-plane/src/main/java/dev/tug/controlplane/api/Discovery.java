package dev.tug.controlplane.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The discovery documents: the legacy ones ({@code /api}, {@code /apis}, {@code /api/v1},
 * {@code /apis/apps/v1}) and the aggregated {@code apidiscovery.k8s.io/v2} lists that kubectl
 * asks for first. Both are built from {@link ApiResources}, so they list exactly what is served.
 */
public final class Discovery {

    public static final String AGGREGATED_CONTENT_TYPE =
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    private Discovery() {
    }

    /** {@code /api}: the core group's versions. */
    public static ObjectNode coreVersions(String serverAddress) {
        ObjectNode doc = Json.object().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject()
                .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return doc;
    }

    /** {@code /apis}: the named groups. */
    public static ObjectNode groups() {
        ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (String groupVersion : ApiResources.byGroupVersion().keySet()) {
            if (groupVersion.contains("/")) {
                groups.add(group(groupVersion));
            }
        }
        return doc;
    }

    /** {@code /apis/<group>}. */
    public static ObjectNode group(String groupVersion) {
        String[] parts = groupVersion.split("/");
        ObjectNode group = Json.object().put("kind", "APIGroup").put("apiVersion", "v1").put("name", parts[0]);
        ObjectNode version = Json.object().put("groupVersion", groupVersion).put("version", parts[1]);
        group.putArray("versions").add(version);
        group.set("preferredVersion", version.deepCopy());
        return group;
    }

    /** {@code /api/v1}, {@code /apis/apps/v1}: the resources of one group version, or null if not served. */
    public static ObjectNode resources(String groupVersion) {
        List<ResourceType> types = ApiResources.byGroupVersion().get(groupVersion);
        if (types == null) {
            return null;
        }
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType type : types) {
            ObjectNode resource = resources.addObject().put("name", type.plural())
                    .put("singularName", type.singular()).put("namespaced", type.namespaced()).put("kind", type.kind());
            strings(resource.putArray("verbs"), type.verbs());
            if (!type.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(resource.putArray("categories"), type.categories());
            }
            for (String sub : type.subresources().stream().sorted().toList()) {
                ObjectNode subresource = resources.addObject().put("name", type.plural() + "/" + sub)
                        .put("singularName", "").put("namespaced", type.namespaced())
                        .put("kind", subresourceKind(type, sub));
                if (sub.equals(ResourceType.SCALE)) {
                    subresource.put("group", "autoscaling").put("version", "v1");
                }
                strings(subresource.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return doc;
    }

    /** The aggregated document for {@code /api} (core = true) or {@code /apis}. */
    public static ObjectNode aggregated(boolean core) {
        ObjectNode doc = Json.object().put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        for (Map.Entry<String, List<ResourceType>> entry : ApiResources.byGroupVersion().entrySet()) {
            boolean isCore = !entry.getKey().contains("/");
            if (isCore != core) {
                continue;
            }
            ResourceType first = entry.getValue().get(0);
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!first.group().isEmpty()) {
                meta.put("name", first.group());
            }
            ObjectNode version = item.putArray("versions").addObject().put("version", first.version());
            ArrayNode resources = version.putArray("resources");
            for (ResourceType type : entry.getValue()) {
                ObjectNode resource = resources.addObject().put("resource", type.plural());
                resource.putObject("responseKind").put("group", type.group()).put("version", type.version())
                        .put("kind", type.kind());
                resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster")
                        .put("singularResource", type.singular());
                strings(resource.putArray("verbs"), type.verbs());
                if (!type.shortNames().isEmpty()) {
                    strings(resource.putArray("shortNames"), type.shortNames());
                }
                if (!type.categories().isEmpty()) {
                    strings(resource.putArray("categories"), type.categories());
                }
                if (!type.subresources().isEmpty()) {
                    ArrayNode subs = resource.putArray("subresources");
                    for (String sub : type.subresources().stream().sorted().toList()) {
                        ObjectNode subresource = subs.addObject().put("subresource", sub);
                        ObjectNode kind = subresource.putObject("responseKind");
                        if (sub.equals(ResourceType.SCALE)) {
                            kind.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
                        } else {
                            kind.put("group", type.group()).put("version", type.version())
                                    .put("kind", subresourceKind(type, sub));
                        }
                        strings(subresource.putArray("verbs"), subresourceVerbs(sub));
                    }
                }
            }
            version.put("freshness", "Current");
        }
        return doc;
    }

    private static String subresourceKind(ResourceType type, String sub) {
        return switch (sub) {
            case ResourceType.SCALE -> "Scale";
            case ResourceType.LOG -> "Pod";
            case ResourceType.BINDING -> "Binding";
            default -> type.kind();
        };
    }

    private static List<String> subresourceVerbs(String sub) {
        return switch (sub) {
            case ResourceType.LOG -> List.of("get");
            case ResourceType.BINDING -> List.of("create");
            case "finalize" -> List.of("update");
            default -> SUBRESOURCE_VERBS;
        };
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
