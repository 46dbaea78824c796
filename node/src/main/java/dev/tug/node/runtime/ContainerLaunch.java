package dev.tug.node.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One container to start, with everything resolved by the agent: {@code command} is the pod
 * spec's command followed by its args with {@code $(VAR)} references expanded (empty when the
 * spec gives neither: the image's default, which the process runtime refuses), {@code env}
 * holds every variable including those from ConfigMaps, Secrets and the downward API, and
 * {@code mounts} the volumes as host paths.
 */
public record ContainerLaunch(String name, String image, String imagePullPolicy, List<String> command,
        boolean commandFromSpec, List<String> args, Map<String, String> env, String workingDir, List<Mount> mounts,
        List<PortMapping> ports, Path logFile, int attempt) {
}
