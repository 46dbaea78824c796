package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.RevisionCompactedException;
import dev.tug.controlplane.store.Store;
import dev.tug.controlplane.store.WatchEndedException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One {@code ?watch=true} response: newline-delimited {@code WatchEvent} JSON, flushed per event.
 * Without a resourceVersion (or with "0") it starts with an ADDED event per existing object;
 * with one, it replays what changed after it. Selectors are applied to both the old and the new
 * object, so an object that stops matching is reported as DELETED, as in Kubernetes.
 */
final class WatchStream {

    /** How often an idle watch checks that its client is still connected. */
    private static final long POLL_MILLIS = 1000;
    private static final long BOOKMARK_MILLIS = 60_000;

    record Query(ResourceType type, String namespace, LabelSelector labels, FieldSelector fields,
            String resourceVersion, long timeoutMillis, boolean bookmarks) {
    }

    private final ResourceService service;

    WatchStream(ResourceService service) {
        this.service = service;
    }

    /** Streams until the timeout, the client leaving, or the store ending the watch. */
    void run(Query query, Function<ObjectNode, JsonNode> render, OutputStream out, BooleanSupplier clientConnected)
            throws IOException, InterruptedException {
        long after;
        String rv = query.resourceVersion();
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            ResourceService.ListResult initial = service.list(query.type(), query.namespace(), query.labels(),
                    query.fields());
            for (ObjectNode object : initial.items()) {
                send(out, "ADDED", render.apply(object));
            }
            out.flush();
            after = initial.revision();
        } else {
            try {
                after = Long.parseLong(rv);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("resourceVersion must be a number, not \"" + rv + "\"");
            }
        }
        String prefix = query.type().keyPrefix(query.namespace());
        String name = query.fields().requiredName();
        if (name != null) {
            prefix = query.type().key(query.namespace(), name);
        }
        Store.Watch watch;
        try {
            watch = service.store().watch(prefix, after);
        } catch (RevisionCompactedException e) {
            send(out, "ERROR", Json.tree(ApiException.of(410, "Expired", "too old resource version: " + after
                    + " (" + service.store().compactedRevision() + ")").status()));
            out.flush();
            return;
        }
        try (watch) {
            long deadline = System.currentTimeMillis() + query.timeoutMillis();
            long lastBookmark = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline && clientConnected.getAsBoolean()) {
                Store.Event event;
                try {
                    event = watch.next(POLL_MILLIS);
                } catch (WatchEndedException e) {
                    return;
                }
                if (event == null) {
                    if (query.bookmarks() && System.currentTimeMillis() - lastBookmark > BOOKMARK_MILLIS) {
                        ObjectNode bookmark = Json.object().put("kind", query.type().kind())
                                .put("apiVersion", query.type().apiVersion());
                        bookmark.putObject("metadata").put("resourceVersion",
                                Long.toString(service.store().currentRevision()));
                        send(out, "BOOKMARK", bookmark);
                        out.flush();
                        lastBookmark = System.currentTimeMillis();
                    }
                    continue;
                }
                String type = eventType(query, event);
                if (type != null) {
                    send(out, type, render.apply(ResourceService.decode(event.kv())));
                    out.flush();
                }
            }
        }
    }

    private static String eventType(Query query, Store.Event event) {
        boolean now = matches(query, ResourceService.decode(event.kv()));
        boolean before = event.previous() != null && matches(query, ResourceService.decode(event.previous()));
        return switch (event.type()) {
            case CREATED -> now ? "ADDED" : null;
            case DELETED -> now ? "DELETED" : null;
            case UPDATED -> now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : null;
        };
    }

    private static boolean matches(Query query, ObjectNode object) {
        return query.labels().matches(ObjectMetadata.labels(object)) && query.fields().matches(object);
    }

    private static void send(OutputStream out, String type, JsonNode object) throws IOException {
        ObjectNode event = Json.object().put("type", type);
        event.set("object", object);
        out.write(Json.bytes(event));
        out.write('\n');
    }
}
