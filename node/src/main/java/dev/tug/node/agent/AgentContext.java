package dev.tug.node.agent;

import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.services.PodDns;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Duration;

/** What every pod worker of an agent shares. */
record AgentContext(KubernetesClient client, ContainerRuntime runtime, Prober prober, Environment environment,
        Volumes volumes, PodDns dns, EventSink events, String nodeName, String nodeIp, Path podsDirectory, Duration backoffBase) {

    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
}
