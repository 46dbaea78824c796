package dev.tug.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What tasks learn about each other while the engine runs: the ids of resources found or created. */
public final class TaskContext {
    private final Map<String, String> ids = new ConcurrentHashMap<>();

    void remember(String key, String id) {
        ids.put(key, id);
    }

    /** The id of another task's resource, once found or created. */
    public Optional<String> id(String key) {
        return Optional.ofNullable(ids.get(key));
    }

    /** The id of a resource this task depends on; fails when it does not exist (apply runs after it). */
    public String require(String key) {
        String id = ids.get(key);
        if (id == null) {
            throw new IllegalStateException(key + " does not exist yet");
        }
        return id;
    }

    /** A reference for the desired fields: the id when known, else a marker naming the resource to be created. */
    public String ref(String key) {
        String id = ids.get(key);
        return id != null ? id : "<new " + key + ">";
    }
}
