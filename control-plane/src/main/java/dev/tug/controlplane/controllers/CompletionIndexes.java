package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Indexed Jobs ({@code completionMode: Indexed}): each pod works on one index 0..completions-1,
 * which it reads from an annotation, a label, its hostname and {@code JOB_COMPLETION_INDEX}; the
 * Job is done when every index has a succeeded pod. {@code status.completedIndexes} lists them
 * compactly, e.g. {@code 0-2,5}.
 */
final class CompletionIndexes {

    static final String KEY = "batch.kubernetes.io/job-completion-index";
    static final String ENV = "JOB_COMPLETION_INDEX";
    private static final int MAX_GENERATED_NAME_PREFIX = 58;

    private CompletionIndexes() {
    }

    static boolean indexed(JsonNode job) {
        return job.path("spec").path("completionMode").asText("NonIndexed").equals("Indexed");
    }

    /** The pod's completion index, or -1 when it has none (not made by an Indexed Job). */
    static int of(JsonNode pod) {
        String value = Json.text(pod, "metadata", "annotations", KEY);
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads {@code 0-2,5}; anything unreadable counts as nothing. */
    static SortedSet<Integer> parse(String text) {
        SortedSet<Integer> indexes = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        try {
            for (String part : text.split(",")) {
                int dash = part.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
                for (int i = first; i <= last; i++) {
                    indexes.add(i);
                }
            }
        } catch (NumberFormatException e) {
            return new TreeSet<>();
        }
        return indexes;
    }

    /** Writes {@code 0-2,5}: runs of consecutive indexes as ranges. */
    static String format(SortedSet<Integer> indexes) {
        StringBuilder text = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int index : indexes) {
            if (previous != null && index == previous + 1) {
                previous = index;
                continue;
            }
            appendRun(text, start, previous);
            start = index;
            previous = index;
        }
        appendRun(text, start, previous);
        return text.toString();
    }

    private static void appendRun(StringBuilder text, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(start);
        if (end > start) {
            text.append('-').append(end);
        }
    }

    /** The lowest {@code count} indexes that neither succeeded nor have a pod working on them. */
    static List<Integer> pending(Set<Integer> succeeded, Set<Integer> running, int completions, int count) {
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < completions && pending.size() < count; i++) {
            if (!succeeded.contains(i) && !running.contains(i)) {
                pending.add(i);
            }
        }
        return pending;
    }

    /** {@code <job>-<index>-}, with the Job's name cut so that the random suffix still fits. */
    static String generateName(String jobName, int index) {
        String suffix = "-" + index + "-";
        String prefix = jobName + suffix;
        return prefix.length() <= MAX_GENERATED_NAME_PREFIX ? prefix
                : jobName.substring(0, MAX_GENERATED_NAME_PREFIX - suffix.length()) + suffix;
    }

    /** Gives a pod of an Indexed Job its index, everywhere Kubernetes puts it. */
    static ObjectNode stamp(ObjectNode pod, String jobName, int index) {
        ObjectNode meta = Json.metadata(pod);
        meta.with("annotations").put(KEY, Integer.toString(index));
        meta.with("labels").put(KEY, Integer.toString(index));
        ObjectNode spec = pod.with("spec");
        if (spec.path("hostname").asText("").isEmpty()) {
            spec.put("hostname", jobName + "-" + index);
        }
        for (String field : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(field)) {
                addIndexVariable((ObjectNode) container);
            }
        }
        return pod;
    }

    private static void addIndexVariable(ObjectNode container) {
        ArrayNode env = container.withArray("env");
        for (JsonNode variable : env) {
            if (ENV.equals(variable.path("name").asText())) {
                return;
            }
        }
        ObjectNode variable = env.addObject();
        variable.put("name", ENV);
        variable.putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1")
                .put("fieldPath", "metadata.annotations['" + KEY + "']");
    }
}
