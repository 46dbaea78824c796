package dev.tug.engine;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts a cloud's API calls by operation (`ec2.DescribeVpcs`), to show with -v and to prove a no-op is one. */
public final class ApiCalls {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void record(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    /** Reading calls are Describe*, List*, Get* and Head*; every other operation changes something. */
    public static boolean changes(String operation) {
        String name = operation.substring(operation.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        return !(name.startsWith("describe") || name.startsWith("list") || name.startsWith("get")
                || name.startsWith("head"));
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long changing() {
        return counts.entrySet().stream().filter(e -> changes(e.getKey())).mapToLong(e -> e.getValue().sum()).sum();
    }

    public Map<String, Long> byOperation() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((operation, count) -> sorted.put(operation, count.sum()));
        return sorted;
    }

    public void print(PrintWriter out) {
        out.println("Cloud API calls: " + total() + " (" + changing() + " changing)");
        byOperation().forEach((operation, count) -> out.printf("  %-48s %d%n", operation, count));
    }
}
