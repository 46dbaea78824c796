package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes core/v1 Events about objects, as {@code kubectl describe} shows them. The same event
 * repeated for one object is counted on the existing Event rather than written again.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int REMEMBERED = 4096;

    private final ResourceService service;
    private final String component;
    private final ResourceType events = ApiResources.of(Event.class);
    /** (object uid, type, reason, message) -> namespace/name of the Event that reports it. */
    private final Map<String, String> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public EventRecorder(ResourceService service, String component) {
        this.service = service;
        this.component = component;
    }

    public void normal(JsonNode object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(JsonNode object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    /**
     * Events are written by one background thread, in order: a controller does not wait for the
     * record of what it did. Never fails the caller; an event that cannot be written is dropped.
     */
    public void record(JsonNode object, String type, String reason, String message) {
        JsonNode snapshot = object.deepCopy();
        WRITER.execute(() -> write(snapshot, type, reason, message));
    }

    private static final java.util.concurrent.ExecutorService WRITER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "event-recorder");
        thread.setDaemon(true);
        return thread;
    });

    private synchronized void write(JsonNode object, String type, String reason, String message) {
        String namespace = ObjectMetadata.namespace(object) == null ? "default" : ObjectMetadata.namespace(object);
        String identity = ObjectMetadata.uid(object) + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
        String now = ObjectMetadata.now(service.clock());
        try {
            String existing = recent.get(identity);
            if (existing != null && count(existing, now)) {
                return;
            }
            ObjectNode event = Json.object();
            ObjectNode meta = event.putObject("metadata");
            meta.put("name", ObjectMetadata.name(object) + "." + Long.toHexString(System.nanoTime()));
            ObjectNode involved = event.putObject("involvedObject");
            involved.put("apiVersion", object.path("apiVersion").asText());
            involved.put("kind", object.path("kind").asText());
            if (ObjectMetadata.namespace(object) != null) {
                involved.put("namespace", ObjectMetadata.namespace(object));
            }
            involved.put("name", ObjectMetadata.name(object));
            involved.put("uid", ObjectMetadata.uid(object));
            event.put("type", type);
            event.put("reason", reason);
            event.put("message", message);
            event.putObject("source").put("component", component);
            event.put("reportingComponent", component);
            event.put("firstTimestamp", now);
            event.put("lastTimestamp", now);
            event.put("count", 1);
            ObjectNode created = service.create(events, namespace, event, RequestOptions.internal());
            recent.put(identity, namespace + "/" + ObjectMetadata.name(created));
        } catch (ApiException e) {
            LOG.debug("event {} for {} dropped: {}", reason, ObjectMetadata.name(object), e.getMessage());
        }
    }

    /** Counts one more occurrence on an existing Event; false when it is gone. */
    private boolean count(String namespaceAndName, String now) {
        int slash = namespaceAndName.indexOf('/');
        try {
            service.update(events, namespaceAndName.substring(0, slash), namespaceAndName.substring(slash + 1), null,
                    RequestOptions.internal(), event -> {
                        event.put("count", event.path("count").asInt(1) + 1);
                        event.put("lastTimestamp", now);
                        return event;
                    });
            return true;
        } catch (ApiException e) {
            return false;
        }
    }
}
