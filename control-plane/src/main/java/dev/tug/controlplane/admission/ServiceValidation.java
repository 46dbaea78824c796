package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules for Services and the Endpoints that back them. */
final class ServiceValidation {

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final List<String> IP_FAMILY_POLICIES = List.of("SingleStack", "PreferDualStack", "RequireDualStack");
    private static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    private static final String IP_MESSAGE = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int KUBELET_PORT = 10250;
    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final int MAX_SLICE_ENDPOINTS = 1000;

    private ServiceValidation() {
    }

    static void service(Service service, Service old, List<FieldError> errors) {
        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        String type = Metadata.nullToEmpty(spec.getType());
        boolean headless = Services.isHeadless(spec);
        if (Fill.list(spec.getPorts()).isEmpty() && !headless && !type.equals("ExternalName")) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        typeSpecific(spec, type, headless, errors);
        ports(spec, errors);
        Metadata.labels(spec.getSelector(), "spec.selector", errors);
        sessionAffinity(spec, errors);
        if (!type.equals("ExternalName")) {
            clusterIPs(spec, errors);
        }
        List<String> externalIPs = Fill.list(spec.getExternalIPs());
        for (int i = 0; i < externalIPs.size(); i++) {
            ip(externalIPs.get(i), "spec.externalIPs[" + i + "]", errors);
        }
        if (type.isEmpty()) {
            errors.add(FieldError.required("spec.type", ""));
        } else if (!TYPES.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, TYPES));
        }
        trafficPolicies(spec, type, errors);
        if (old != null && old.getSpec() != null) {
            clusterIPUpdate(spec, old.getSpec(), errors);
        }
    }

    static void endpoints(Endpoints endpoints, List<FieldError> errors) {
        List<EndpointSubset> subsets = Fill.list(endpoints.getSubsets());
        for (int i = 0; i < subsets.size(); i++) {
            EndpointSubset subset = subsets.get(i);
            String at = "subsets[" + i + "]";
            if (Fill.list(subset.getAddresses()).isEmpty() && Fill.list(subset.getNotReadyAddresses()).isEmpty()) {
                errors.add(FieldError.required(at, "must specify `addresses` or `notReadyAddresses`"));
            }
            addresses(Fill.list(subset.getAddresses()), at + ".addresses", errors);
            addresses(Fill.list(subset.getNotReadyAddresses()), at + ".notReadyAddresses", errors);
            List<EndpointPort> ports = Fill.list(subset.getPorts());
            for (int p = 0; p < ports.size(); p++) {
                EndpointPort port = ports.get(p);
                String portPath = at + ".ports[" + p + "]";
                portName(port.getName(), ports.size() > 1, portPath + ".name", errors);
                int number = port.getPort() == null ? 0 : port.getPort();
                Names.report(Names.portNumber(number), portPath + ".port", number, errors);
                ContainerValidation.protocol(port.getProtocol(), portPath + ".protocol", errors);
            }
        }
    }

    static void endpointSlice(EndpointSlice slice, EndpointSlice old, List<FieldError> errors) {
        String type = slice.getAddressType();
        if (type == null || type.isEmpty()) {
            errors.add(FieldError.required("addressType", ""));
        } else if (!ADDRESS_TYPES.contains(type)) {
            errors.add(FieldError.notSupported("addressType", type, ADDRESS_TYPES));
        } else if (old != null && !type.equals(old.getAddressType())) {
            errors.add(FieldError.immutable("addressType", type));
        }
        List<Endpoint> endpoints = Fill.list(slice.getEndpoints());
        if (endpoints.size() > MAX_SLICE_ENDPOINTS) {
            errors.add(FieldError.invalid("endpoints", endpoints.size(), "must have at most " + MAX_SLICE_ENDPOINTS + " items"));
        }
        for (int i = 0; i < endpoints.size(); i++) {
            List<String> addresses = Fill.list(endpoints.get(i).getAddresses());
            String at = "endpoints[" + i + "].addresses";
            if (addresses.isEmpty()) {
                errors.add(FieldError.required(at, "must contain at least 1 address"));
            }
            for (int a = 0; a < addresses.size(); a++) {
                if (!"FQDN".equals(type)) {
                    ip(addresses.get(a), at + "[" + a + "]", errors);
                }
            }
            Names.optional(endpoints.get(i).getHostname(), Names::dns1123Label, "endpoints[" + i + "].hostname", errors);
        }
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = Fill.list(slice.getPorts());
        for (int p = 0; p < ports.size(); p++) {
            Integer number = ports.get(p).getPort();
            if (number != null) {
                Names.report(Names.portNumber(number), "ports[" + p + "].port", number, errors);
            }
            ContainerValidation.protocol(ports.get(p).getProtocol(), "ports[" + p + "].protocol", errors);
        }
    }

    private static void typeSpecific(ServiceSpec spec, String type, boolean headless, List<FieldError> errors) {
        switch (type) {
            case "LoadBalancer", "NodePort" -> {
                if (headless) {
                    errors.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for " + type + " services"));
                }
                if (type.equals("LoadBalancer")) {
                    List<ServicePort> ports = Fill.list(spec.getPorts());
                    for (int i = 0; i < ports.size(); i++) {
                        // a load balancer that exposes the kubelet's port would expose every kubelet
                        if (Integer.valueOf(KUBELET_PORT).equals(ports.get(i).getPort())) {
                            errors.add(FieldError.invalid("spec.ports[" + i + "]", KUBELET_PORT,
                                    "may not expose port " + KUBELET_PORT + " externally since it is used by kubelet"));
                        }
                    }
                }
            }
            case "ExternalName" -> {
                if (!Fill.isAbsent(spec.getClusterIPs()) || !Fill.isAbsent(spec.getClusterIP())) {
                    errors.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
                }
                if (!Fill.isAbsent(spec.getIpFamilies())) {
                    errors.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
                }
                if (spec.getIpFamilyPolicy() != null) {
                    errors.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
                }
                // the name is a CNAME, which may end with a dot
                String name = Metadata.nullToEmpty(spec.getExternalName());
                Names.required(name.endsWith(".") ? name.substring(0, name.length() - 1) : name,
                        Names::dns1123Subdomain, "spec.externalName", errors);
            }
            default -> {
            }
        }
    }

    private static void ports(ServiceSpec spec, List<FieldError> errors) {
        List<ServicePort> ports = Fill.list(spec.getPorts());
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String at = "spec.ports[" + i + "]";
            String name = portName(port.getName(), ports.size() > 1, at + ".name", errors);
            if (!name.isEmpty() && !names.add(name)) {
                errors.add(FieldError.duplicate(at + ".name", name));
            }
            int number = port.getPort() == null ? 0 : port.getPort();
            Names.report(Names.portNumber(number), at + ".port", number, errors);
            ContainerValidation.protocol(port.getProtocol(), at + ".protocol", errors);
            if (port.getTargetPort() != null) {
                ContainerValidation.portNumberOrName(port.getTargetPort(), at + ".targetPort", errors);
            }
            Integer nodePort = port.getNodePort();
            if (nodePort != null && nodePort != 0) {
                // the range is the server's setting: its allocator checks it
                if ("ClusterIP".equals(spec.getType())) {
                    errors.add(FieldError.forbidden(at + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
                } else {
                    Names.report(Names.portNumber(nodePort), at + ".nodePort", nodePort, errors);
                }
                if (!nodePorts.add(port.getProtocol() + "/" + nodePort)) {
                    errors.add(FieldError.duplicate(at + ".nodePort", nodePort));
                }
            }
            if (!numbers.add(port.getProtocol() + "/" + number)) {
                errors.add(FieldError.duplicate(at, port.getProtocol() + "/" + number));
            }
        }
    }

    /** Ports of Services and Endpoints need names when there are several (clients pick them by name). */
    private static String portName(String name, boolean required, String path, List<FieldError> errors) {
        if (required) {
            return Names.required(name, Names::dns1123Label, path, errors);
        }
        Names.optional(name, Names::dns1123Label, path, errors);
        return Metadata.nullToEmpty(name);
    }

    private static void sessionAffinity(ServiceSpec spec, List<FieldError> errors) {
        PodValidation.oneOf(spec.getSessionAffinity(), SESSION_AFFINITIES, "spec.sessionAffinity", errors);
        if ("None".equals(spec.getSessionAffinity()) && spec.getSessionAffinityConfig() != null) {
            errors.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            Integer timeout = spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                    ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            String path = "spec.sessionAffinityConfig.clientIP.timeoutSeconds";
            if (timeout == null) {
                errors.add(FieldError.required(path, "when session affinity type is ClientIP"));
            } else if (timeout <= 0 || timeout > 86400) {
                errors.add(FieldError.invalid(path, timeout, "must be greater than 0 and less than 86400"));
            }
        }
    }

    /** This cluster is single-stack IPv4: one cluster IP, of that family. */
    private static void clusterIPs(ServiceSpec spec, List<FieldError> errors) {
        List<String> clusterIPs = Fill.list(spec.getClusterIPs());
        if (!clusterIPs.isEmpty() && !clusterIPs.get(0).equals(Metadata.nullToEmpty(spec.getClusterIP()))) {
            errors.add(FieldError.invalid("spec.clusterIPs", clusterIPs, "first value must match `clusterIP`"));
        }
        for (int i = 0; i < clusterIPs.size(); i++) {
            String ip = clusterIPs.get(i);
            if (!(i == 0 && ip.equals("None"))) {
                ip(ip, "spec.clusterIPs[" + i + "]", errors);
            }
        }
        String policy = spec.getIpFamilyPolicy();
        if (policy != null && !IP_FAMILY_POLICIES.contains(policy)) {
            errors.add(FieldError.notSupported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES));
        }
        boolean headlessWithoutSelector = Services.isHeadless(spec) && Fill.isAbsent(spec.getSelector());
        if ("RequireDualStack".equals(policy) && !headlessWithoutSelector) {
            errors.add(FieldError.invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"));
        }
        List<String> families = Fill.list(spec.getIpFamilies());
        for (int i = 0; i < families.size(); i++) {
            String family = families.get(i);
            if (!IP_FAMILIES.contains(family)) {
                errors.add(FieldError.notSupported("spec.ipFamilies[" + i + "]", family, IP_FAMILIES));
            } else if (family.equals("IPv6") && !headlessWithoutSelector) {
                errors.add(FieldError.invalid("spec.ipFamilies[" + i + "]", family, "not configured on this cluster"));
            }
        }
    }

    private static void trafficPolicies(ServiceSpec spec, String type, List<FieldError> errors) {
        String external = spec.getExternalTrafficPolicy();
        if (Services.externallyAccessible(spec)) {
            PodValidation.oneOf(external, TRAFFIC_POLICIES, "spec.externalTrafficPolicy", errors);
        } else if (!Fill.isAbsent(external)) {
            errors.add(FieldError.invalid("spec.externalTrafficPolicy", external, "may only be set for externally-accessible services"));
        }
        if (!type.equals("ExternalName")) {
            PodValidation.oneOf(spec.getInternalTrafficPolicy(), TRAFFIC_POLICIES, "spec.internalTrafficPolicy", errors);
        }
    }

    /**
     * A cluster IP, once allocated, is the Service's for life (clients cached it), except when the
     * Service becomes or stops being an ExternalName, or stays headless. The server carries the
     * allocated IPs over when an update omits them, as Kubernetes does, before validating.
     */
    private static void clusterIPUpdate(ServiceSpec spec, ServiceSpec old, List<FieldError> errors) {
        if ("ExternalName".equals(spec.getType()) || "ExternalName".equals(old.getType())
                || Services.isHeadless(spec) && Services.isHeadless(old)) {
            return;
        }
        List<String> before = Fill.list(old.getClusterIPs());
        List<String> after = Fill.list(spec.getClusterIPs());
        if (!before.isEmpty() && after.isEmpty()) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", after, "primary clusterIP can not be unset"));
        }
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            if (!before.get(i).equals(after.get(i))) {
                errors.add(FieldError.invalid("spec.clusterIPs[" + i + "]", after, "may not change once set"));
            }
        }
    }

    private static void addresses(List<EndpointAddress> addresses, String path, List<FieldError> errors) {
        for (int i = 0; i < addresses.size(); i++) {
            EndpointAddress address = addresses.get(i);
            String at = path + "[" + i + "]";
            ip(Metadata.nullToEmpty(address.getIp()), at + ".ip", errors);
            Names.optional(address.getHostname(), Names::dns1123Label, at + ".hostname", errors);
            Names.optional(address.getNodeName(), Names::dns1123Subdomain, at + ".nodeName", errors);
        }
    }

    private static void ip(String value, String path, List<FieldError> errors) {
        if (!isIP(value)) {
            errors.add(FieldError.invalid(path, value, IP_MESSAGE));
        }
    }

    /** IPv4 dotted quads, or IPv6 literals (parsed as literals only: no name lookup). */
    static boolean isIP(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
