package dev.tug.node.runtime;

import java.nio.file.Path;

/** Which pod, and the directory the agent keeps for it (volumes, logs, runtime bookkeeping). */
public record PodIdentity(String namespace, String name, String uid, Path directory) {
}
