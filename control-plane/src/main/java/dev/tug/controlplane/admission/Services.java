package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ServiceSpec;

/** Facts about a Service that both its defaults and its rules depend on. */
final class Services {

    private Services() {
    }

    /** {@code clusterIP: None}: DNS answers with the endpoints themselves, no virtual IP. */
    static boolean isHeadless(ServiceSpec spec) {
        return "None".equals(spec.getClusterIP())
                || !Fill.list(spec.getClusterIPs()).isEmpty() && "None".equals(spec.getClusterIPs().get(0));
    }

    /** Reachable from outside the cluster: through node ports, a load balancer or external IPs. */
    static boolean externallyAccessible(ServiceSpec spec) {
        String type = spec.getType();
        return "NodePort".equals(type) || "LoadBalancer".equals(type)
                || "ClusterIP".equals(type) && !Fill.list(spec.getExternalIPs()).isEmpty();
    }
}
