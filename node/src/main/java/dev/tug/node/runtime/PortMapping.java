package dev.tug.node.runtime;

/** A container port, and the host port it is published on when {@code hostPort} is set (else 0). */
public record PortMapping(String name, int containerPort, int hostPort, String hostIp, String protocol) {
}
