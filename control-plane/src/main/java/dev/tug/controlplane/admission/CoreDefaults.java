package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ClientIPConfig;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defaults of the core/v1 kinds other than Pods: Namespace, Node, Service, Endpoints, Secret, PersistentVolumeClaim. */
final class CoreDefaults {

    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private CoreDefaults() {
    }

    /**
     * The name label always; the {@code kubernetes} finalizer and phase Active on creation. The
     * finalizer is added only to an object without a resourceVersion (a create): on update it
     * must stay removable, or the namespace controller could never finish deleting.
     */
    static void namespace(Namespace namespace) {
        ObjectMeta meta = Fill.orCreate(namespace::getMetadata, namespace::setMetadata, ObjectMeta::new);
        if (!Fill.isAbsent(meta.getName())) {
            Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
            labels.put(NAMESPACE_NAME_LABEL, meta.getName());
            meta.setLabels(labels);
        }
        NamespaceSpec spec = Fill.orCreate(namespace::getSpec, namespace::setSpec, NamespaceSpec::new);
        if (Fill.isAbsent(meta.getResourceVersion()) && !Fill.list(spec.getFinalizers()).contains("kubernetes")) {
            List<String> finalizers = new ArrayList<>(Fill.list(spec.getFinalizers()));
            finalizers.add("kubernetes");
            spec.setFinalizers(finalizers);
        }
        NamespaceStatus status = Fill.orCreate(namespace::getStatus, namespace::setStatus, NamespaceStatus::new);
        Fill.ifAbsent(status::getPhase, status::setPhase, "Active");
    }

    /** A node that reports capacity but no allocatable can hand out all of it. */
    static void node(Node node) {
        NodeStatus status = node.getStatus();
        if (status != null && !Fill.isAbsent(status.getCapacity())) {
            Fill.ifAbsent(status::getAllocatable, status::setAllocatable, new LinkedHashMap<>(status.getCapacity()));
        }
    }

    static void endpoints(Endpoints endpoints) {
        Fill.list(endpoints.getSubsets()).stream().flatMap(s -> Fill.list(s.getPorts()).stream())
                .forEach(port -> Fill.ifAbsent(port::getProtocol, port::setProtocol, "TCP"));
    }

    /** {@code stringData} is write-only: Kubernetes folds it into {@code data}, where it wins. */
    static void secret(Secret secret) {
        Fill.ifAbsent(secret::getType, secret::setType, "Opaque");
        if (!Fill.isAbsent(secret.getStringData())) {
            Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
            secret.getStringData().forEach((key, value) ->
                    data.put(key, Base64.getEncoder().encodeToString(Metadata.nullToEmpty(value).getBytes(StandardCharsets.UTF_8))));
            secret.setData(data);
            secret.setStringData(new LinkedHashMap<>());
        }
    }

    static void persistentVolumeClaim(PersistentVolumeClaim claim) {
        PersistentVolumeClaimSpec spec = Fill.orCreate(claim::getSpec, claim::setSpec, PersistentVolumeClaimSpec::new);
        Fill.ifAbsent(spec::getVolumeMode, spec::setVolumeMode, "Filesystem");
        PersistentVolumeClaimStatus status = Fill.orCreate(claim::getStatus, claim::setStatus, PersistentVolumeClaimStatus::new);
        Fill.ifAbsent(status::getPhase, status::setPhase, "Pending");
    }

    /**
     * Kubernetes' Service defaults, and the IP family fields its allocator fills on a single-stack
     * IPv4 cluster. Cluster IPs and node ports themselves are the server's to allocate.
     */
    static void service(Service service) {
        ServiceSpec spec = Fill.orCreate(service::getSpec, service::setSpec, ServiceSpec::new);
        Fill.ifAbsent(spec::getSessionAffinity, spec::setSessionAffinity, "None");
        if ("None".equals(spec.getSessionAffinity())) {
            spec.setSessionAffinityConfig(null);
        } else if ("ClientIP".equals(spec.getSessionAffinity())) {
            SessionAffinityConfig config = Fill.orCreate(spec::getSessionAffinityConfig, spec::setSessionAffinityConfig, SessionAffinityConfig::new);
            ClientIPConfig clientIP = Fill.orCreate(config::getClientIP, config::setClientIP, ClientIPConfig::new);
            Fill.ifAbsent(clientIP::getTimeoutSeconds, clientIP::setTimeoutSeconds, 10800);
        }
        Fill.ifAbsent(spec::getType, spec::setType, "ClusterIP");
        for (ServicePort port : Fill.list(spec.getPorts())) {
            Fill.ifAbsent(port::getProtocol, port::setProtocol, "TCP");
            IntOrString target = port.getTargetPort();
            boolean unset = target == null || Integer.valueOf(0).equals(target.getIntVal())
                    || target.getIntVal() == null && Fill.isAbsent(target.getStrVal());
            if (unset && port.getPort() != null) {
                port.setTargetPort(new IntOrString(port.getPort()));
            }
        }
        String type = spec.getType();
        if (Services.externallyAccessible(spec)) {
            Fill.ifAbsent(spec::getExternalTrafficPolicy, spec::setExternalTrafficPolicy, "Cluster");
        }
        if (!"ExternalName".equals(type)) {
            Fill.ifAbsent(spec::getInternalTrafficPolicy, spec::setInternalTrafficPolicy, "Cluster");
            ipFamilies(spec);
        }
        if ("LoadBalancer".equals(type)) {
            Fill.ifAbsent(spec::getAllocateLoadBalancerNodePorts, spec::setAllocateLoadBalancerNodePorts, true);
        }
    }

    /** Headless services without a selector take both families (their endpoints are anyone's); others IPv4. */
    private static void ipFamilies(ServiceSpec spec) {
        // clusterIP and clusterIPs[0] are one value in two fields
        if (!Fill.isAbsent(spec.getClusterIP()) && Fill.isAbsent(spec.getClusterIPs())) {
            spec.setClusterIPs(new ArrayList<>(List.of(spec.getClusterIP())));
        } else if (Fill.isAbsent(spec.getClusterIP()) && !Fill.isAbsent(spec.getClusterIPs())) {
            spec.setClusterIP(spec.getClusterIPs().get(0));
        }
        boolean headlessWithoutSelector = Services.isHeadless(spec) && Fill.isAbsent(spec.getSelector());
        Fill.ifAbsent(spec::getIpFamilyPolicy, spec::setIpFamilyPolicy, headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        boolean bothFamilies = headlessWithoutSelector && !"SingleStack".equals(spec.getIpFamilyPolicy());
        Fill.ifAbsent(spec::getIpFamilies, spec::setIpFamilies, new ArrayList<>(bothFamilies ? List.of("IPv4", "IPv6") : List.of("IPv4")));
    }
}
