package dev.tug.node.runtime;

/**
 * What a pod's containers share. {@code podIp} is the pod's address ({@code status.podIP});
 * {@code id} is the runtime's own handle (a Docker container id, a pod directory).
 */
public record Sandbox(String id, String podIp) {
}
