package dev.tug.controlplane.tables;

/**
 * One column of a server-side {@code Table} (a meta.k8s.io/v1 {@code TableColumnDefinition}).
 * {@code name} is as Kubernetes serves it ("Up-to-date", "Port(s)"); kubectl upper-cases it.
 * {@code priority} 0 is a default column, 1 one that kubectl shows only with {@code -o wide}.
 */
public record Column(String name, String type, String format, String description, int priority) {
}
