package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Defaults of pods and pod templates: Kubernetes' {@code SetDefaults_PodSpec} and friends for
 * every PodSpec, plus for Pods themselves what Kubernetes adds only to Pods (service links,
 * requests from limits, the status on creation) and what its default admission plugins add
 * (ServiceAccount, Priority, DefaultTolerationSeconds).
 */
final class PodDefaults {

    static final int DEFAULT_MODE = 0644; // 420: the file mode of configMap/secret/projected volume files
    static final long DEFAULT_TOLERATION_SECONDS = 300;
    /**
     * The server's --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds,
     * set once when it starts (admission has no other per-server settings).
     */
    private static volatile long notReadySeconds = DEFAULT_TOLERATION_SECONDS;
    private static volatile long unreachableSeconds = DEFAULT_TOLERATION_SECONDS;
    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

    /** Kubernetes' built-in PriorityClasses; any other class is the server's to resolve. */
    private static final Map<String, Integer> BUILT_IN_PRIORITIES =
            Map.of("system-node-critical", 2000001000, "system-cluster-critical", 2000000000);

    private PodDefaults() {
    }

    /** Defaults of a template inside a workload: no Pod-only defaults, no status. */
    static void template(PodTemplateSpec template) {
        Fill.orCreate(template::getMetadata, template::setMetadata, ObjectMeta::new);
        spec(Fill.orCreate(template::getSpec, template::setSpec, PodSpec::new));
    }

    static void pod(Pod pod) {
        PodSpec spec = Fill.orCreate(pod::getSpec, pod::setSpec, PodSpec::new);
        spec(spec);
        Fill.ifAbsent(spec::getEnableServiceLinks, spec::setEnableServiceLinks, true);
        containers(spec).forEach(PodDefaults::requestsFromLimits);
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            // with the node's network, a container port is a host port
            containers(spec).flatMap(c -> Fill.list(c.getPorts()).stream()).forEach(p -> Fill.ifAbsent(p::getHostPort, p::setHostPort, p.getContainerPort()));
        }
        // the ServiceAccount admission plugin (the token volume needs a token controller: not here)
        Fill.ifAbsent(spec::getServiceAccountName, spec::setServiceAccountName, "default");
        spec.setServiceAccount(spec.getServiceAccountName());
        priority(spec);
        tolerateUnreadyNodes(spec);
        PodStatus status = Fill.orCreate(pod::getStatus, pod::setStatus, PodStatus::new);
        Fill.ifAbsent(status::getPhase, status::setPhase, "Pending");
        Fill.ifAbsent(status::getQosClass, status::setQosClass, qosClass(spec));
    }

    static void spec(PodSpec spec) {
        Fill.ifAbsent(spec::getDnsPolicy, spec::setDnsPolicy, "ClusterFirst");
        Fill.ifAbsent(spec::getRestartPolicy, spec::setRestartPolicy, "Always");
        Fill.ifAbsent(spec::getSecurityContext, spec::setSecurityContext, new PodSecurityContext());
        Fill.ifAbsent(spec::getTerminationGracePeriodSeconds, spec::setTerminationGracePeriodSeconds, 30L);
        Fill.ifAbsent(spec::getSchedulerName, spec::setSchedulerName, "default-scheduler");
        // the deprecated serviceAccount field always mirrors serviceAccountName
        Fill.ifAbsent(spec::getServiceAccountName, spec::setServiceAccountName, spec.getServiceAccount());
        if (!Fill.isAbsent(spec.getServiceAccountName())) {
            spec.setServiceAccount(spec.getServiceAccountName());
        }
        containers(spec).forEach(PodDefaults::container);
        Fill.list(spec.getVolumes()).forEach(PodDefaults::volume);
    }

    /** Regular and init containers: the same defaults and rules apply to both. */
    static Stream<Container> containers(PodSpec spec) {
        return Stream.concat(Fill.list(spec.getInitContainers()).stream(), Fill.list(spec.getContainers()).stream());
    }

    private static void container(Container container) {
        Fill.ifAbsent(container::getImagePullPolicy, container::setImagePullPolicy, pullPolicy(container.getImage()));
        Fill.ifAbsent(container::getTerminationMessagePath, container::setTerminationMessagePath, "/dev/termination-log");
        Fill.ifAbsent(container::getTerminationMessagePolicy, container::setTerminationMessagePolicy, "File");
        for (ContainerPort port : Fill.list(container.getPorts())) {
            Fill.ifAbsent(port::getProtocol, port::setProtocol, "TCP");
        }
        Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                .filter(Objects::nonNull).forEach(PodDefaults::probe);
        Lifecycle lifecycle = container.getLifecycle();
        if (lifecycle != null) {
            Stream.of(lifecycle.getPostStart(), lifecycle.getPreStop()).filter(Objects::nonNull)
                    .map(LifecycleHandler::getHttpGet).forEach(PodDefaults::httpGet);
        }
        for (EnvVar env : Fill.list(container.getEnv())) {
            if (env.getValueFrom() != null) {
                fieldRef(env.getValueFrom().getFieldRef());
            }
        }
    }

    /** Always for {@code :latest} or no tag (the registry may move it), else IfNotPresent. */
    static String pullPolicy(String image) {
        if (image == null || image.isBlank()) {
            return "IfNotPresent"; // Kubernetes cannot parse it, and validation refuses it anyway
        }
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int colon = name.lastIndexOf(':');
        // a colon before the last slash belongs to a registry's port, not to a tag
        String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "";
        boolean latest = tag.equals("latest") || tag.isEmpty() && at < 0;
        return latest ? "Always" : "IfNotPresent";
    }

    private static void probe(Probe probe) {
        Fill.ifAbsent(probe::getTimeoutSeconds, probe::setTimeoutSeconds, 1);
        Fill.ifAbsent(probe::getPeriodSeconds, probe::setPeriodSeconds, 10);
        Fill.ifAbsent(probe::getSuccessThreshold, probe::setSuccessThreshold, 1);
        Fill.ifAbsent(probe::getFailureThreshold, probe::setFailureThreshold, 3);
        httpGet(probe.getHttpGet());
    }

    private static void httpGet(HTTPGetAction action) {
        if (action != null) {
            Fill.ifAbsent(action::getPath, action::setPath, "/");
            Fill.ifAbsent(action::getScheme, action::setScheme, "HTTP");
        }
    }

    private static void fieldRef(ObjectFieldSelector selector) {
        if (selector != null) {
            Fill.ifAbsent(selector::getApiVersion, selector::setApiVersion, "v1");
        }
    }

    private static void volume(Volume volume) {
        if (VolumeSources.present(volume).isEmpty()) {
            volume.setEmptyDir(new EmptyDirVolumeSource());
        }
        if (volume.getConfigMap() != null) {
            Fill.ifAbsent(volume.getConfigMap()::getDefaultMode, volume.getConfigMap()::setDefaultMode, DEFAULT_MODE);
        }
        if (volume.getSecret() != null) {
            Fill.ifAbsent(volume.getSecret()::getDefaultMode, volume.getSecret()::setDefaultMode, DEFAULT_MODE);
        }
        if (volume.getDownwardAPI() != null) {
            Fill.ifAbsent(volume.getDownwardAPI()::getDefaultMode, volume.getDownwardAPI()::setDefaultMode, DEFAULT_MODE);
            downwardItems(Fill.list(volume.getDownwardAPI().getItems()));
        }
        if (volume.getHostPath() != null) {
            Fill.ifAbsent(volume.getHostPath()::getType, volume.getHostPath()::setType, "");
        }
        if (volume.getProjected() != null) {
            Fill.ifAbsent(volume.getProjected()::getDefaultMode, volume.getProjected()::setDefaultMode, DEFAULT_MODE);
            Fill.list(volume.getProjected().getSources()).forEach(PodDefaults::projection);
        }
    }

    private static void projection(VolumeProjection projection) {
        if (projection.getServiceAccountToken() != null) {
            var token = projection.getServiceAccountToken();
            Fill.ifAbsent(token::getExpirationSeconds, token::setExpirationSeconds, 3600L);
        }
        if (projection.getDownwardAPI() != null) {
            downwardItems(Fill.list(projection.getDownwardAPI().getItems()));
        }
    }

    private static void downwardItems(List<DownwardAPIVolumeFile> items) {
        items.forEach(item -> fieldRef(item.getFieldRef()));
    }

    /** A limit without a request means "request the limit" (only on Pods, not templates). */
    private static void requestsFromLimits(Container container) {
        ResourceRequirements resources = container.getResources();
        if (resources == null || Fill.isAbsent(resources.getLimits())) {
            return;
        }
        Map<String, Quantity> requests = new LinkedHashMap<>(resources.getRequests() == null ? Map.of() : resources.getRequests());
        resources.getLimits().forEach((name, limit) -> requests.putIfAbsent(name, new Quantity(Quantities.text(limit))));
        resources.setRequests(requests);
    }

    private static void priority(PodSpec spec) {
        String className = Metadata.nullToEmpty(spec.getPriorityClassName());
        Integer priority = className.isEmpty() ? Integer.valueOf(0) : BUILT_IN_PRIORITIES.get(className);
        if (priority != null) {
            Fill.ifAbsent(spec::getPriority, spec::setPriority, priority);
            Fill.ifAbsent(spec::getPreemptionPolicy, spec::setPreemptionPolicy, "PreemptLowerPriority");
        }
    }

    static void configureDefaultTolerations(long notReady, long unreachable) {
        notReadySeconds = notReady;
        unreachableSeconds = unreachable;
    }

    /** DefaultTolerationSeconds: stay 5 minutes (by default) on a node that stops reporting before eviction. */
    private static void tolerateUnreadyNodes(PodSpec spec) {
        List<Toleration> tolerations = new ArrayList<>(Fill.list(spec.getTolerations()));
        for (String taint : List.of(NOT_READY_TAINT, UNREACHABLE_TAINT)) {
            boolean tolerated = tolerations.stream().anyMatch(t -> (Fill.isAbsent(t.getKey()) || taint.equals(t.getKey()))
                    && (Fill.isAbsent(t.getEffect()) || "NoExecute".equals(t.getEffect())));
            if (!tolerated) {
                long seconds = taint.equals(NOT_READY_TAINT) ? notReadySeconds : unreachableSeconds;
                tolerations.add(new Toleration("NoExecute", taint, "Exists", seconds, null));
            }
        }
        spec.setTolerations(tolerations);
    }

    /**
     * Kubernetes' QoS class: BestEffort without any cpu/memory request or limit, Guaranteed when
     * every container limits both and requests what it limits, Burstable otherwise.
     */
    static String qosClass(PodSpec spec) {
        List<Container> all = containers(spec).toList();
        boolean any = all.stream().anyMatch(c -> !computeResources(c, true).isEmpty() || !computeResources(c, false).isEmpty());
        if (!any) {
            return "BestEffort";
        }
        boolean guaranteed = all.stream().allMatch(c -> {
            Map<String, BigDecimal> limits = computeResources(c, false);
            return limits.size() == 2 && limits.equals(computeResources(c, true));
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /** A container's non-zero cpu and memory requests (or limits), by value. */
    private static Map<String, BigDecimal> computeResources(Container container, boolean requests) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        ResourceRequirements resources = container.getResources();
        Map<String, Quantity> list = resources == null ? null : requests ? resources.getRequests() : resources.getLimits();
        for (String name : List.of("cpu", "memory")) {
            Quantity quantity = list == null ? null : list.get(name);
            if (Quantities.isValid(quantity) && Quantities.value(quantity).signum() > 0) {
                values.put(name, Quantities.value(quantity).stripTrailingZeros());
            }
        }
        return values;
    }
}
