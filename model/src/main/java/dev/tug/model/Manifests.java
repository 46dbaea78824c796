package dev.tug.model;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads and writes Tug objects as YAML (SnakeYAML for the syntax, Jackson for binding to the types)
 * and JSON. Unknown fields are errors that name their path, so a typo never silently vanishes.
 */
public final class Manifests {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
                    JsonInclude.Include.ALWAYS))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static {
        // "labels:" with nothing after it means an empty map, not a null the defaults would trip over.
        JsonSetter.Value emptyContainers = JsonSetter.Value.construct(Nulls.AS_EMPTY, Nulls.FAIL);
        for (Class<?> type : List.of(List.class, Map.class, ObjectMeta.class, ClusterSpec.class,
                InstanceGroupSpec.class)) {
            MAPPER.configOverride(type).setSetterInfo(emptyContainers);
        }
    }

    /** kubectl's JSON layout: four-space indent, no space before the colon. */
    private static final ObjectWriter JSON = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private Manifests() {
    }

    /** Every object in a (possibly multi-document) YAML or JSON text, in order: Clusters and InstanceGroups. */
    public static List<Object> parse(String source, String text) {
        List<Object> objects = new ArrayList<>();
        int document = 0;
        try {
            for (Object doc : yaml().loadAll(text)) {
                document++;
                if (doc instanceof Map<?, ?> map && "List".equals(map.get("kind")) && map.get("items") instanceof List<?> items) {
                    for (Object item : items) {
                        objects.add(bind(source, document, item));
                    }
                } else if (doc != null) {
                    objects.add(bind(source, document, doc));
                }
            }
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            throw new SpecException(source + ": not valid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new SpecException(source + ": not valid YAML: " + e.getMessage());
        }
        if (objects.isEmpty()) {
            throw new SpecException(source + ": holds no Cluster or InstanceGroup");
        }
        return objects;
    }

    public static <T> T parseOne(String source, String text, Class<T> type) {
        List<Object> objects = parse(source, text);
        if (objects.size() != 1 || !type.isInstance(objects.get(0))) {
            throw new SpecException(source + ": expected exactly one " + type.getSimpleName());
        }
        return type.cast(objects.get(0));
    }

    private static Object bind(String source, int document, Object doc) {
        String where = source + " (document " + document + ")";
        if (!(doc instanceof Map<?, ?> map)) {
            throw new SpecException(where + ": expected a mapping with apiVersion and kind");
        }
        Object apiVersion = map.get("apiVersion");
        if (!ApiVersion.V1ALPHA1.equals(apiVersion)) {
            throw new SpecException(where + ": apiVersion " + (apiVersion == null ? "is missing" : "\"" + apiVersion
                    + "\" is not supported") + "; use " + ApiVersion.V1ALPHA1);
        }
        Object kind = map.get("kind");
        Class<?> type;
        if (Cluster.KIND.equals(kind)) {
            type = Cluster.class;
        } else if (InstanceGroup.KIND.equals(kind)) {
            type = InstanceGroup.class;
        } else {
            throw new SpecException(where + ": kind " + (kind == null ? "is missing" : "\"" + kind + "\" is unknown")
                    + "; use Cluster or InstanceGroup");
        }
        try {
            return MAPPER.readerFor(type).readValue((com.fasterxml.jackson.databind.JsonNode) MAPPER.valueToTree(map));
        } catch (JsonMappingException e) {
            throw new SpecException(where + ": " + describe(e));
        } catch (java.io.IOException e) {
            throw new SpecException(where + ": " + e.getMessage());
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; known fields here: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            return path + ": unknown field" + known;
        }
        if (e instanceof InvalidNullException) {
            return path + ": must not be empty";
        }
        if (e instanceof InvalidFormatException bad) {
            return path + ": \"" + bad.getValue() + "\" is not " + expected(bad.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return path + ": expected " + expected(mismatch.getTargetType());
        }
        return path + ": " + e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.getName().startsWith("dev.tug.model.")) {
            return "a mapping";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        return "a " + type.getSimpleName().toLowerCase();
    }

    public static String toYaml(Object object) {
        return yaml().dump(toMap(object));
    }

    /** Several objects as one multi-document YAML text that {@code tug create -f} reads back. */
    public static String toYaml(List<?> objects) {
        return objects.stream().map(Manifests::toYaml).collect(Collectors.joining("---\n"));
    }

    public static String toJson(Object object) {
        try {
            return JSON.writeValueAsString(object) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Several objects as a kubectl-style List. */
    public static String toJsonList(List<?> objects) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", ApiVersion.V1ALPHA1);
        list.put("kind", "List");
        list.put("items", objects);
        return toJson(list);
    }

    /** A deep copy through the same binding, so edits to the copy never touch the original. */
    public static <T> T copy(T object, Class<T> type) {
        return MAPPER.convertValue(MAPPER.valueToTree(object), type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Object object) {
        return MAPPER.convertValue(object, LinkedHashMap.class);
    }

    private static Yaml yaml() {
        LoaderOptions loader = new LoaderOptions();
        loader.setAllowDuplicateKeys(false);
        loader.setMaxAliasesForCollections(20);
        DumperOptions dumper = new DumperOptions();
        dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dumper.setIndent(2);
        dumper.setWidth(120);
        return new Yaml(new SafeConstructor(loader), new Representer(dumper), dumper, loader, new PlainResolver());
    }

    /** YAML 1.1's implicit timestamps would turn a creationTimestamp into a Date; keep it a string. */
    private static final class PlainResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
