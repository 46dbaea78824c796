package dev.tug.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Name, labels and creation time of a Tug object, shaped like Kubernetes' metadata. */
public class ObjectMeta {
    public String name;
    public String creationTimestamp;
    public Map<String, String> labels = new LinkedHashMap<>();

    public ObjectMeta() {
    }

    public ObjectMeta(String name) {
        this.name = name;
    }
}
