package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Request bodies in Kubernetes' protobuf encoding, which kubectl's typed clients send
 * ({@code kubectl create deployment|configmap|namespace ...}): the {@code k8s\0} envelope around a
 * {@code runtime.Unknown}, whose raw bytes are the object's message. This turns them into the JSON
 * kubectl would have sent, which every other request uses.
 *
 * <p>The messages are read with {@link DynamicMessage} from descriptors the build compiles out of
 * Kubernetes' .proto files (src/main/proto) into {@code k8s-api.desc}; Kubernetes' published Java
 * classes were generated for an older protobuf runtime than the one the rest of Tug needs.
 */
final class ProtobufBodies {

    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";
    private static final String UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ProtobufBodies() {
    }

    static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw ApiException.badRequest("the protobuf body does not start with the Kubernetes envelope");
        }
        try {
            Message unknown = DynamicMessage.parseFrom(Schema.MESSAGES.get(UNKNOWN),
                    ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
            Message typeMeta = (Message) field(unknown, "typeMeta");
            String apiVersion = (String) field(typeMeta, "apiVersion");
            String kind = (String) field(typeMeta, "kind");
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                throw ApiException.badRequest("the protobuf body does not say its apiVersion and kind");
            }
            ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
            fill(object, DynamicMessage.parseFrom(descriptor(apiVersion, kind), (ByteString) field(unknown, "raw")));
            return object;
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("the protobuf body cannot be read: " + e.getMessage());
        }
    }

    /** The message for a kind: {@code apps/v1} Deployment is {@code k8s.io.api.apps.v1.Deployment}. */
    private static Descriptor descriptor(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        String pkg;
        if (group.isEmpty()) {
            pkg = "k8s.io.api.core." + version;
        } else if (group.equals("meta.k8s.io")) {
            pkg = "k8s.io.apimachinery.pkg.apis.meta." + version;
        } else if (!group.contains(".")) {
            pkg = "k8s.io.api." + group + "." + version;
        } else if (group.endsWith(".k8s.io")) {
            pkg = "k8s.io.api." + group.substring(0, group.indexOf('.')) + "." + version;
        } else {
            pkg = null; // custom resources have no protobuf form
        }
        Descriptor descriptor = pkg == null ? null : Schema.MESSAGES.get(pkg + "." + kind);
        if (descriptor == null) {
            throw ApiException.of(415, "UnsupportedMediaType", kind + " in " + apiVersion
                    + " cannot be sent as protobuf to this server; send it as application/json");
        }
        return descriptor;
    }

    private static Object field(Message message, String name) {
        return message.getField(message.getDescriptorForType().findFieldByName(name));
    }

    private static ObjectNode toJson(Message message) {
        ObjectNode object = NODES.objectNode();
        fill(object, message);
        return object;
    }

    /** Kubernetes' proto field names are its JSON names; the Go struct tags add what is in {@link Schema}. */
    private static void fill(ObjectNode object, Message message) {
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            Object value = entry.getValue();
            if (Schema.INLINE.contains(field.getFullName())) {
                fill(object, (Message) value);
            } else if (field.isMapField()) {
                ObjectNode map = object.putObject(field.getName());
                for (Object item : (Iterable<?>) value) {
                    Message pair = (Message) item;
                    FieldDescriptor valueField = pair.getDescriptorForType().findFieldByName("value");
                    map.set(String.valueOf(field(pair, "key")), value(valueField, pair.getField(valueField)));
                }
            } else if (field.isRepeated()) {
                ArrayNode array = object.putArray(field.getName());
                for (Object item : (Iterable<?>) value) {
                    array.add(value(field, item));
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    || !value.equals(field.getDefaultValue()) || Schema.KEEP_ZERO.contains(field.getFullName())) {
                // Go writes every non-pointer field, so a zero scalar is usually "not set"
                object.set(field.getName(), value(field, value));
            }
        }
    }

    /** Kubernetes' wrapper messages (time, int-or-string, quantity, raw JSON) are plain values in JSON. */
    private static JsonNode value(FieldDescriptor field, Object value) {
        switch (field.getJavaType()) {
            case MESSAGE -> {
                Message message = (Message) value;
                return switch (message.getDescriptorForType().getFullName()) {
                    case META + ".Time" -> time(message, false);
                    case META + ".MicroTime" -> time(message, true);
                    case META + ".FieldsV1" -> rawJson((ByteString) field(message, "Raw"));
                    case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> rawJson((ByteString) field(message, "raw"));
                    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> intOrString(message);
                    case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> NODES.textNode((String) field(message, "string"));
                    default -> toJson(message);
                };
            }
            case BYTE_STRING -> {
                return NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            }
            case INT -> {
                return NODES.numberNode((Integer) value);
            }
            case LONG -> {
                return NODES.numberNode((Long) value);
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) value);
            }
            case DOUBLE -> {
                return NODES.numberNode((Double) value);
            }
            case FLOAT -> {
                return NODES.numberNode((Float) value);
            }
            default -> {
                return NODES.textNode(String.valueOf(value));
            }
        }
    }

    /** A zero time is an empty message, and null in JSON (creationTimestamp of a new object). */
    private static JsonNode time(Message message, boolean micro) {
        if (message.getAllFields().isEmpty()) {
            return NODES.nullNode();
        }
        Instant instant = Instant.ofEpochSecond((Long) field(message, "seconds"), (Integer) field(message, "nanos"));
        return NODES.textNode(micro ? MICRO_TIME.format(instant.truncatedTo(ChronoUnit.MICROS))
                : instant.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static JsonNode intOrString(Message message) {
        return (Long) field(message, "type") == 1 ? NODES.textNode((String) field(message, "strVal"))
                : NODES.numberNode((Integer) field(message, "intVal"));
    }

    private static JsonNode rawJson(ByteString raw) {
        try {
            return raw.isEmpty() ? NODES.nullNode() : Json.MAPPER.readTree(raw.toByteArray());
        } catch (IOException e) {
            throw ApiException.badRequest("an embedded object is not JSON: " + e.getMessage());
        }
    }

    /** Loaded on the first protobuf body: most servers never see one. */
    static final class Schema {

        /** Every message in the descriptor set, by full name. */
        static final Map<String, Descriptor> MESSAGES = new HashMap<>();
        /** Scalar fields whose zero value Kubernetes' JSON keeps (pointers, and fields without omitempty). */
        static final Set<String> KEEP_ZERO = new HashSet<>();
        /** Message fields whose members JSON puts in the parent object ({@code json:",inline"}). */
        static final Set<String> INLINE = new HashSet<>();

        static {
            try (InputStream descriptors = resource("k8s-api.desc");
                 BufferedReader fields = new BufferedReader(new InputStreamReader(
                         resource("k8s-json-fields.txt"), StandardCharsets.UTF_8))) {
                // protoc writes a file's imports before the file, so each one's dependencies are built
                Map<String, FileDescriptor> files = new HashMap<>();
                for (FileDescriptorProto proto : FileDescriptorSet.parseFrom(descriptors).getFileList()) {
                    FileDescriptor[] dependencies = proto.getDependencyList().stream().map(files::get)
                            .toArray(FileDescriptor[]::new);
                    FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
                    files.put(proto.getName(), file);
                    file.getMessageTypes().forEach(message -> MESSAGES.put(message.getFullName(), message));
                }
                fields.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
                    String[] words = line.split(" ");
                    for (int i = 2; i < words.length; i++) {
                        (words[0].equals("inline") ? INLINE : KEEP_ZERO).add(words[1] + "." + words[i]);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (DescriptorValidationException e) {
                throw new IllegalStateException("k8s-api.desc is not a valid descriptor set", e);
            }
        }

        private Schema() {
        }

        private static InputStream resource(String name) throws IOException {
            InputStream in = ProtobufBodies.class.getResourceAsStream(name);
            if (in == null) {
                throw new IOException(name + " is missing from the classpath (built from src/main/proto)");
            }
            return in;
        }
    }
}
