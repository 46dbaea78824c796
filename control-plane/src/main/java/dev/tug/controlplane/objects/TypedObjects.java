package dev.tug.controlplane.objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversion between request JSON and the fabric8 model types. Binding to the typed model is
 * what catches wrong types ({@code replicas: "three"}), and the model's catch-all
 * {@code additionalProperties} is what reveals unknown fields.
 */
public final class TypedObjects {

    private static final Map<Class<?>, List<BeanPropertyDefinition>> PROPERTIES = new ConcurrentHashMap<>();

    private TypedObjects() {
    }

    public static HasMetadata bind(ResourceType type, ObjectNode json) {
        return bind(type.javaType(), json, type.kind(), type.version());
    }

    public static <T> T bind(Class<? extends T> javaType, ObjectNode json, String kind, String version) {
        try {
            return Json.MAPPER.treeToValue(json, javaType);
        } catch (JsonMappingException e) {
            throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind
                    + ": " + path(e) + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + kind
                    + ": " + e.getOriginalMessage());
        }
    }

    public static ObjectNode json(Object typed) {
        return Json.tree(typed);
    }

    /**
     * Removes every field the model does not know and returns their paths
     * ({@code spec.template.spec.containers[0].imagePolicy}), so the caller can refuse, warn
     * or silently drop them as {@code fieldValidation} asks. Kubernetes prunes them either way.
     */
    public static List<String> removeUnknownFields(Object typed) {
        List<String> found = new ArrayList<>();
        walk(typed, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (BeanPropertyDefinition property : properties(value.getClass())) {
            AnnotatedMember getter = property.getAccessor();
            if (getter == null) {
                continue;
            }
            walk(getter.getValue(value), join(path, property.getName()), found);
        }
        Map<String, Object> extra = additionalProperties(value);
        if (extra != null && !extra.isEmpty()) {
            extra.keySet().stream().sorted().forEach(key -> found.add(join(path, key)));
            extra.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> additionalProperties(Object value) {
        try {
            Object extra = value.getClass().getMethod("getAdditionalProperties").invoke(value);
            return extra instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static List<BeanPropertyDefinition> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            BeanDescription description = Json.MAPPER.getSerializationConfig().introspect(Json.MAPPER.constructType(t));
            return description.findProperties().stream()
                    .filter(p -> !p.getName().equals("additionalProperties"))
                    .filter(p -> !p.getPrimaryType().isPrimitive() && !p.getPrimaryType().isEnumType()
                            && p.getPrimaryType().getRawClass() != String.class)
                    .toList();
        });
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : path + ": ";
    }
}
