package dev.tug.node.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One container to start, with everything resolved by the agent: {@code command} and
 * {@code args} are the pod spec's with {@code $(VAR)} references expanded (an empty command
 * means the image's entrypoint, which only image-based runtimes can honour), {@code env} holds
 * every variable including those from ConfigMaps, Secrets and the downward API, {@code mounts}
 * the volumes as host paths, and {@code attempt} the container's restart count.
 */
public record ContainerLaunch(String name, String image, String imagePullPolicy, List<String> command,
        List<String> args, Map<String, String> env, String workingDir, List<Mount> mounts, List<PortMapping> ports,
        Path logFile, int attempt) {
}
