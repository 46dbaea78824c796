package dev.tug.controlplane.patch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What strategic merge knows about one JSON object: the Java type that models it. Walking a fabric8
 * class with Jackson's own introspection gives the same field names and element types the objects
 * are (de)serialized with: {@code Deployment.spec} is a {@code DeploymentSpec}, its
 * {@code template.spec.containers} a {@code List<Container>}, and so on.
 *
 * <p>{@link #UNKNOWN} stands for anything untyped; its fields get default (JSON merge) treatment.
 */
final class ObjectSchema {

    static final ObjectSchema UNKNOWN = new ObjectSchema(null);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** JSON field name to declared type, per bean class; introspection is slow, patches are frequent. */
    private static final Map<Class<?>, Map<String, JavaType>> FIELDS = new ConcurrentHashMap<>();

    /** A bean type or a map type (whose values all share one schema); null when unknown. */
    private final JavaType type;

    private ObjectSchema(JavaType type) {
        this.type = type;
    }

    static ObjectSchema of(Class<?> type) {
        return type == null ? UNKNOWN : of(MAPPER.constructType(type));
    }

    private static ObjectSchema of(JavaType type) {
        // A list field's schema is that of its elements: merging happens element by element.
        while (type.isCollectionLikeType() || type.isArrayType()) {
            type = type.getContentType();
        }
        return type.isMapLikeType() || isModelBean(type.getRawClass()) ? new ObjectSchema(type) : UNKNOWN;
    }

    /** Strings, numbers, JDK types, enums and JsonNode have no fields worth walking. */
    private static boolean isModelBean(Class<?> raw) {
        return !raw.isPrimitive() && !raw.isEnum() && !raw.getName().startsWith("java.")
                && !raw.getName().startsWith("com.fasterxml.");
    }

    /** The merge metadata of {@code field} in this object. */
    FieldStrategy strategy(String field) {
        if (type == null || type.isMapLikeType()) {
            return FieldStrategy.DEFAULT;
        }
        return PatchStrategies.lookup(type.getRawClass().getSimpleName(), field);
    }

    /** The schema of the value of {@code field}, or of its elements when it is a list. */
    ObjectSchema field(String field) {
        if (type == null) {
            return UNKNOWN;
        }
        if (type.isMapLikeType()) {
            return of(type.getContentType());
        }
        JavaType fieldType = fieldsOf(type).get(field);
        return fieldType == null ? UNKNOWN : of(fieldType);
    }

    /** For diagnostics and tests: the simple name of the modelled class, or null. */
    String typeName() {
        return type == null ? null : type.getRawClass().getSimpleName();
    }

    private static Map<String, JavaType> fieldsOf(JavaType bean) {
        return FIELDS.computeIfAbsent(bean.getRawClass(), raw -> {
            Map<String, JavaType> fields = new HashMap<>();
            for (BeanPropertyDefinition property :
                    MAPPER.getDeserializationConfig().introspect(bean).findProperties()) {
                fields.put(property.getName(), property.getPrimaryType());
            }
            return fields;
        });
    }
}
