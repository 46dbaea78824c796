package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.model.Container;
import dev.tug.node.runtime.PodIdentity;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Names and labels of the engine's containers for a pod. Names are deterministic so that a
 * second create for the same thing conflicts instead of duplicating it; labels are what a
 * restarted agent searches by, because names are cut short and shared with humans.
 */
final class ContainerNaming {

    static final String POD_UID = "io.tug.pod.uid";
    static final String CONTAINER = "io.tug.container.name";
    static final String ATTEMPT = "io.tug.attempt";
    /** Where the agent wants the container's output, so a restarted agent can resume copying it. */
    static final String LOG_FILE = "io.tug.log.file";
    /**
     * The sandbox's container label: upper case, which no Kubernetes container name can be, so a
     * container named "sandbox" never matches the sandbox (the kubelet says "POD" the same way).
     */
    static final String SANDBOX = "POD";

    private ContainerNaming() {
    }

    /** {@code tug_<namespace>_<pod>_<uid8>_sandbox}. */
    static String sandboxName(PodIdentity pod) {
        return prefix(pod) + "sandbox";
    }

    /** {@code tug_<namespace>_<pod>_<uid8>_<container>_<attempt>}. */
    static String containerName(PodIdentity pod, String container, int attempt) {
        return prefix(pod) + container + "_" + attempt;
    }

    private static String prefix(PodIdentity pod) {
        String uid = pod.uid().length() > 8 ? pod.uid().substring(0, 8) : pod.uid();
        return "tug_" + pod.namespace() + "_" + pod.name() + "_" + uid + "_";
    }

    /** By name as well as label, so a sandbox labelled by an older agent is still taken for one. */
    static boolean isSandbox(PodIdentity pod, Container container) {
        return SANDBOX.equals(container.getLabels().get(CONTAINER))
                || container.getNames() != null && Arrays.asList(container.getNames()).contains("/" + sandboxName(pod));
    }

    static Map<String, String> sandboxLabels(PodIdentity pod) {
        return labels(pod, SANDBOX, 0);
    }

    static Map<String, String> containerLabels(PodIdentity pod, String container, int attempt, Path logFile) {
        Map<String, String> labels = labels(pod, container, attempt);
        labels.put(LOG_FILE, logFile.toAbsolutePath().toString());
        return labels;
    }

    private static Map<String, String> labels(PodIdentity pod, String container, int attempt) {
        Map<String, String> labels = new HashMap<>();
        labels.put(POD_UID, pod.uid());
        labels.put(CONTAINER, container);
        labels.put(ATTEMPT, Integer.toString(attempt));
        labels.put("io.kubernetes.pod.namespace", pod.namespace());
        labels.put("io.kubernetes.pod.name", pod.name());
        return labels;
    }

    /** The label filter that finds one container of a pod (or its sandbox, with {@link #SANDBOX} and 0). */
    static Map<String, String> filter(PodIdentity pod, String container, int attempt) {
        return Map.of(POD_UID, pod.uid(), CONTAINER, container, ATTEMPT, Integer.toString(attempt));
    }
}
