package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Request bodies in Kubernetes' protobuf encoding, which kubectl's typed clients send
 * ({@code kubectl create deployment|configmap|namespace ...}): the {@code k8s\0} envelope around a
 * {@code runtime.Unknown}, whose raw bytes are the object's message. The messages come from
 * Kubernetes' published protobuf classes; this turns them into the JSON every other request uses.
 */
final class ProtobufBodies {

    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtobufBodies() {
    }

    static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw ApiException.badRequest("the protobuf body does not start with the Kubernetes envelope");
        }
        try {
            DynamicMessage unknown = DynamicMessage.parseFrom(Runtime.getDescriptor().findMessageTypeByName("Unknown"),
                    ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
            Message typeMeta = (Message) field(unknown, "typeMeta");
            String apiVersion = (String) field(typeMeta, "apiVersion");
            String kind = (String) field(typeMeta, "kind");
            ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
            object.setAll(toJson(DynamicMessage.parseFrom(descriptor(apiVersion, kind), (ByteString) field(unknown, "raw"))));
            return object;
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("the protobuf body cannot be read: " + e.getMessage());
        }
    }

    /**
     * The message's descriptor from Kubernetes' published files. Only descriptors are used, with
     * {@link DynamicMessage}: the published message classes were generated for an older protobuf
     * runtime than the one the rest of Tug needs.
     */
    private static Descriptor descriptor(String apiVersion, String kind) {
        FileDescriptor file = switch (apiVersion) {
            case "v1" -> V1.getDescriptor();
            case "apps/v1" -> V1Apps.getDescriptor();
            case "batch/v1" -> V1Batch.getDescriptor();
            case "autoscaling/v1" -> V1Autoscaling.getDescriptor();
            default -> null;
        };
        Descriptor descriptor = file == null ? null : file.findMessageTypeByName(kind);
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
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (field.isMapField()) {
                ObjectNode map = object.putObject(field.getJsonName());
                for (Object item : (Iterable<?>) entry.getValue()) {
                    Message pair = (Message) item;
                    FieldDescriptor key = pair.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor value = pair.getDescriptorForType().findFieldByName("value");
                    map.set(String.valueOf(pair.getField(key)), value(value, pair.getField(value)));
                }
            } else if (field.isRepeated()) {
                ArrayNode array = object.putArray(field.getJsonName());
                for (Object item : (Iterable<?>) entry.getValue()) {
                    array.add(value(field, item));
                }
            } else {
                object.set(field.getJsonName(), value(field, entry.getValue()));
            }
        }
        return object;
    }

    /** Kubernetes' wrapper messages (time, int-or-string, quantity, raw JSON) are plain values in JSON. */
    private static JsonNode value(FieldDescriptor field, Object value) {
        switch (field.getJavaType()) {
            case MESSAGE -> {
                Message message = (Message) value;
                String type = message.getDescriptorForType().getFullName();
                return switch (type) {
                    case META + "Time" -> NODES.textNode(time(message, false));
                    case META + "MicroTime" -> NODES.textNode(time(message, true));
                    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> intOrString(message);
                    case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> NODES.textNode(String.valueOf(field(message, "string")));
                    case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> rawJson(message);
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

    private static String time(Message message, boolean micro) {
        long seconds = (Long) field(message, "seconds");
        int nanos = (Integer) field(message, "nanos");
        Instant instant = Instant.ofEpochSecond(seconds, nanos).truncatedTo(micro ? ChronoUnit.MICROS : ChronoUnit.SECONDS);
        return micro ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(instant) : instant.toString();
    }

    private static JsonNode intOrString(Message message) {
        return (Long) field(message, "type") == 1 ? NODES.textNode(String.valueOf(field(message, "strVal")))
                : NODES.numberNode((Integer) field(message, "intVal"));
    }

    private static JsonNode rawJson(Message message) {
        ByteString raw = (ByteString) field(message, "raw");
        try {
            return raw.isEmpty() ? NODES.nullNode() : Json.MAPPER.readTree(raw.toByteArray());
        } catch (IOException e) {
            throw ApiException.badRequest("an embedded object is not JSON: " + e.getMessage());
        }
    }
}
