package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/** Rules for one container of a PodSpec: its name, image, ports, environment, mounts, resources and probes. */
final class ContainerValidation {

    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    /** What the node agent can resolve for {@code env[].valueFrom.fieldRef} (labels and annotations by key too). */
    private static final List<String> ENV_FIELD_PATHS = List.of("metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
    private static final List<String> ENV_RESOURCES = List.of("limits.cpu", "limits.ephemeral-storage", "limits.memory",
            "requests.cpu", "requests.ephemeral-storage", "requests.memory");
    private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    private ContainerValidation() {
    }

    /**
     * @param names container names seen so far in the pod (names are unique across all kinds of container)
     * @param volumes the pod's volume names, which mounts must name
     */
    static void container(Container container, String path, boolean init, Set<String> names, Set<String> volumes,
                          List<FieldError> errors) {
        String name = Names.required(container.getName(), Names::dns1123Label, path + ".name", errors);
        if (!name.isEmpty() && !names.add(name)) {
            errors.add(FieldError.duplicate(path + ".name", name));
        }
        if (Fill.isAbsent(container.getImage())) {
            errors.add(FieldError.required(path + ".image", ""));
        }
        boolean sidecar = restartPolicy(container, path, init, errors);
        probes(container, path, init && !sidecar, errors);
        ports(Fill.list(container.getPorts()), path + ".ports", errors);
        env(Fill.list(container.getEnv()), path + ".env", errors);
        mounts(Fill.list(container.getVolumeMounts()), path + ".volumeMounts", volumes, errors);
        resources(container.getResources(), path + ".resources", errors);
    }

    /** Only init containers take a restart policy, and only Always (which makes them sidecars). */
    private static boolean restartPolicy(Container container, String path, boolean init, List<FieldError> errors) {
        String policy = container.getRestartPolicy();
        if (policy == null) {
            return false;
        }
        if (!init) {
            errors.add(FieldError.forbidden(path + ".restartPolicy", "may not be set for non-init containers"));
        } else if (!policy.equals("Always")) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", policy, List.of("Always")));
        }
        return init && policy.equals("Always");
    }

    private static void probes(Container container, String path, boolean runsToCompletion, List<FieldError> errors) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("livenessProbe", container.getLivenessProbe());
        probes.put("readinessProbe", container.getReadinessProbe());
        probes.put("startupProbe", container.getStartupProbe());
        if (runsToCompletion) {
            // an init container that must finish is never "live" or "ready": nothing to probe
            if (container.getLifecycle() != null) {
                errors.add(FieldError.forbidden(path + ".lifecycle", "may not be set for init containers without restartPolicy=Always"));
            }
            probes.forEach((field, probe) -> {
                if (probe != null) {
                    errors.add(FieldError.forbidden(path + "." + field, "may not be set for init containers without restartPolicy=Always"));
                }
            });
            return;
        }
        probes.forEach((field, probe) -> {
            if (probe != null) {
                probe(probe, path + "." + field, !field.equals("readinessProbe"), errors);
            }
        });
    }

    private static void probe(Probe probe, String path, boolean singleSuccess, List<FieldError> errors) {
        Map<String, Object> handlers = new LinkedHashMap<>();
        handlers.put("exec", probe.getExec());
        handlers.put("httpGet", probe.getHttpGet());
        handlers.put("tcpSocket", probe.getTcpSocket());
        handlers.put("grpc", probe.getGrpc());
        List<String> set = handlers.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
        if (set.isEmpty()) {
            errors.add(FieldError.required(path, "must specify a handler type"));
        } else if (set.size() > 1) {
            errors.add(FieldError.forbidden(path + "." + set.get(1), "may not specify more than 1 handler type"));
        }
        if (probe.getExec() != null && Fill.isAbsent(probe.getExec().getCommand())) {
            errors.add(FieldError.required(path + ".exec.command", ""));
        }
        if (probe.getHttpGet() != null) {
            portNumberOrName(probe.getHttpGet().getPort(), path + ".httpGet.port", errors);
            String scheme = probe.getHttpGet().getScheme();
            if (scheme != null && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                errors.add(FieldError.notSupported(path + ".httpGet.scheme", scheme, List.of("HTTP", "HTTPS")));
            }
        }
        if (probe.getTcpSocket() != null) {
            portNumberOrName(probe.getTcpSocket().getPort(), path + ".tcpSocket.port", errors);
        }
        if (probe.getGrpc() != null) {
            int port = probe.getGrpc().getPort() == null ? 0 : probe.getGrpc().getPort();
            Names.report(Names.portNumber(port), path + ".grpc.port", port, errors);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("initialDelaySeconds", probe.getInitialDelaySeconds());
        counts.put("timeoutSeconds", probe.getTimeoutSeconds());
        counts.put("periodSeconds", probe.getPeriodSeconds());
        counts.put("successThreshold", probe.getSuccessThreshold());
        counts.put("failureThreshold", probe.getFailureThreshold());
        counts.forEach((field, value) -> PodValidation.nonNegative(value, path + "." + field, errors));
        // liveness and startup end at the first success; more than one would never be reached
        if (singleSuccess && probe.getSuccessThreshold() != null && probe.getSuccessThreshold() != 1) {
            errors.add(FieldError.invalid(path + ".successThreshold", probe.getSuccessThreshold(), "must be 1"));
        }
    }

    /** A port given by number (1-65535) or by the name of a container port. */
    static void portNumberOrName(IntOrString port, String path, List<FieldError> errors) {
        if (port == null) {
            errors.add(FieldError.required(path, ""));
        } else if (port.getIntVal() != null) {
            Names.report(Names.portNumber(port.getIntVal()), path, port.getIntVal(), errors);
        } else {
            String name = Metadata.nullToEmpty(port.getStrVal());
            Names.report(Names.portName(name), path, name, errors);
        }
    }

    private static void ports(List<ContainerPort> ports, String path, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort port = ports.get(i);
            String at = path + "[" + i + "]";
            String name = port.getName();
            if (!Fill.isAbsent(name)) {
                List<String> problems = Names.portName(name);
                Names.report(problems, at + ".name", name, errors);
                if (problems.isEmpty() && !names.add(name)) {
                    errors.add(FieldError.duplicate(at + ".name", name));
                }
            }
            if (port.getContainerPort() == null || port.getContainerPort() == 0) {
                errors.add(FieldError.required(at + ".containerPort", ""));
            } else {
                Names.report(Names.portNumber(port.getContainerPort()), at + ".containerPort", port.getContainerPort(), errors);
            }
            if (port.getHostPort() != null && port.getHostPort() != 0) {
                Names.report(Names.portNumber(port.getHostPort()), at + ".hostPort", port.getHostPort(), errors);
            }
            protocol(port.getProtocol(), at + ".protocol", errors);
        }
    }

    /** TCP, UDP or SCTP; required because defaulting always sets it. */
    static void protocol(String protocol, String path, List<FieldError> errors) {
        if (Fill.isAbsent(protocol)) {
            errors.add(FieldError.required(path, ""));
        } else if (!PROTOCOLS.contains(protocol)) {
            errors.add(FieldError.notSupported(path, protocol, PROTOCOLS));
        }
    }

    private static void env(List<EnvVar> env, String path, List<FieldError> errors) {
        for (int i = 0; i < env.size(); i++) {
            EnvVar variable = env.get(i);
            String at = path + "[" + i + "]";
            Names.required(variable.getName(), Names::envVarName, at + ".name", errors);
            if (variable.getValueFrom() != null) {
                valueFrom(variable.getValueFrom(), !Fill.isAbsent(variable.getValue()), at + ".valueFrom", errors);
            }
        }
    }

    private static void valueFrom(EnvVarSource source, boolean hasValue, String path, List<FieldError> errors) {
        long sources = Stream.of(source.getFieldRef(), source.getResourceFieldRef(),
                source.getConfigMapKeyRef(), source.getSecretKeyRef()).filter(Objects::nonNull).count();
        if (sources == 0) {
            errors.add(FieldError.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if (sources > 1) {
            errors.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
        } else if (hasValue) {
            errors.add(FieldError.invalid(path, "", "may not be specified when `value` is not empty"));
        }
        if (source.getFieldRef() != null) {
            String fieldPath = Metadata.nullToEmpty(source.getFieldRef().getFieldPath());
            boolean byKey = fieldPath.matches("metadata\\.(labels|annotations)\\['[^']+'\\]");
            if (fieldPath.isEmpty()) {
                errors.add(FieldError.required(path + ".fieldRef.fieldPath", ""));
            } else if (!byKey && !ENV_FIELD_PATHS.contains(fieldPath)) {
                errors.add(FieldError.notSupported(path + ".fieldRef.fieldPath", fieldPath, ENV_FIELD_PATHS));
            }
        }
        if (source.getResourceFieldRef() != null) {
            String resource = Metadata.nullToEmpty(source.getResourceFieldRef().getResource());
            if (resource.isEmpty()) {
                errors.add(FieldError.required(path + ".resourceFieldRef.resource", ""));
            } else if (!ENV_RESOURCES.contains(resource)) {
                errors.add(FieldError.notSupported(path + ".resourceFieldRef.resource", resource, ENV_RESOURCES));
            }
        }
        if (source.getConfigMapKeyRef() != null) {
            keyRef(source.getConfigMapKeyRef().getName(), source.getConfigMapKeyRef().getKey(), path + ".configMapKeyRef", errors);
        }
        if (source.getSecretKeyRef() != null) {
            keyRef(source.getSecretKeyRef().getName(), source.getSecretKeyRef().getKey(), path + ".secretKeyRef", errors);
        }
    }

    private static void keyRef(String name, String key, String path, List<FieldError> errors) {
        if (Fill.isAbsent(key)) {
            errors.add(FieldError.required(path + ".key", ""));
        } else {
            Names.report(Names.configKey(key), path + ".key", key, errors);
        }
        if (Fill.isAbsent(name)) {
            errors.add(FieldError.required(path + ".name", ""));
        }
    }

    private static void mounts(List<VolumeMount> mounts, String path, Set<String> volumes, List<FieldError> errors) {
        Set<String> mountPaths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            VolumeMount mount = mounts.get(i);
            String at = path + "[" + i + "]";
            String name = Metadata.nullToEmpty(mount.getName());
            if (name.isEmpty()) {
                errors.add(FieldError.required(at + ".name", ""));
            }
            if (!volumes.contains(name)) {
                errors.add(FieldError.notFound(at + ".name", name));
            }
            String mountPath = Metadata.nullToEmpty(mount.getMountPath());
            if (mountPath.isEmpty()) {
                errors.add(FieldError.required(at + ".mountPath", ""));
            } else if (!mountPaths.add(mountPath)) {
                errors.add(FieldError.invalid(at + ".mountPath", mountPath, "must be unique"));
            }
            if (!Fill.isAbsent(mount.getSubPath())) {
                PodValidation.relativePath(mount.getSubPath(), at + ".subPath", errors);
            }
        }
    }

    private static void resources(ResourceRequirements resources, String path, List<FieldError> errors) {
        if (resources == null) {
            return;
        }
        Map<String, Quantity> limits = resources.getLimits() == null ? Map.of() : resources.getLimits();
        Map<String, Quantity> requests = resources.getRequests() == null ? Map.of() : resources.getRequests();
        limits.forEach((name, limit) -> resource(name, limit, path + ".limits[" + name + "]", errors));
        List<String> checked = new ArrayList<>();
        requests.forEach((name, request) -> {
            if (resource(name, request, path + ".requests[" + name + "]", errors)) {
                checked.add(name);
            }
        });
        for (String name : checked) {
            Quantity request = requests.get(name);
            Quantity limit = limits.get(name);
            boolean overcommit = overcommitAllowed(name);
            if (limit == null) {
                if (!overcommit) {
                    errors.add(FieldError.required(path + ".limits", "Limit must be set for non overcommitable resources"));
                }
            } else if (Quantities.isValid(limit)) {
                int order = Quantities.value(request).compareTo(Quantities.value(limit));
                if (order != 0 && !overcommit) {
                    errors.add(FieldError.invalid(path + ".requests", Quantities.text(request),
                            "must be equal to " + name + " limit of " + Quantities.text(limit)));
                } else if (order > 0) {
                    errors.add(FieldError.invalid(path + ".requests", Quantities.text(request),
                            "must be less than or equal to " + name + " limit of " + Quantities.text(limit)));
                }
            }
        }
    }

    /** Checks a resource's name and amount; true when the amount can be compared. */
    private static boolean resource(String name, Quantity quantity, String path, List<FieldError> errors) {
        Names.report(Names.qualifiedName(name), path, name, errors);
        if (!name.contains("/") && !STANDARD_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
            errors.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
        }
        String text = quantity == null ? "" : Quantities.text(quantity);
        if (!Quantities.isValid(quantity)) {
            errors.add(FieldError.invalid(path, text, Quantities.SYNTAX_MESSAGE));
            return false;
        }
        if (Quantities.value(quantity).signum() < 0) {
            errors.add(FieldError.invalid(path, text, PodValidation.NEGATIVE));
            return false;
        }
        return true;
    }

    /** cpu, memory and storage can be overcommitted; devices (extended resources) and huge pages cannot. */
    private static boolean overcommitAllowed(String name) {
        boolean nativeResource = !name.contains("/") || name.contains("kubernetes.io/");
        return nativeResource && !name.startsWith("hugepages-");
    }
}
