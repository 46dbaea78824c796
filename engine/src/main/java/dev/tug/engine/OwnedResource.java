package dev.tug.engine;

import java.util.Set;

/**
 * A live cloud object tagged as owned by the cluster, found by delete. {@code after} names the types that must
 * be gone before this one can go (a VPC after its subnets).
 */
public record OwnedResource(String type, String name, String id, Set<String> after, Deletion deletion) {
    @FunctionalInterface
    public interface Deletion {
        void delete() throws Exception;
    }

    public String label() {
        return type + " " + name + " (" + id + ")";
    }
}
