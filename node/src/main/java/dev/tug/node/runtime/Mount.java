package dev.tug.node.runtime;

import java.nio.file.Path;

/** A volume as a host directory or file, seen by the container at {@code mountPath}. */
public record Mount(Path source, String mountPath, boolean readOnly) {
}
