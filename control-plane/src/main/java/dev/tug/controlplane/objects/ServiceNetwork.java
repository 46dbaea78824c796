package dev.tug.controlplane.objects;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Where Services get their virtual addresses: the cluster IP range and the node port range.
 * Refuses values that cannot work with an IllegalArgumentException naming the {@code tug server}
 * flag that sets them.
 *
 * @param serviceCidr the range cluster IPs come from
 * @param nodePortMin the lowest node port handed out
 * @param nodePortMax the highest node port handed out
 */
public record ServiceNetwork(String serviceCidr, int nodePortMin, int nodePortMax) {

    /**
     * Loopback space, next to the pods' default 127.128.0.0/10: every Linux host routes it to
     * itself, so the node agent's proxy can listen on any cluster IP without root or set-up.
     */
    public static final String DEFAULT_SERVICE_CIDR = "127.96.0.0/16";
    public static final String DEFAULT_NODE_PORT_RANGE = "30000-32767";
    /** Kubernetes' limit: at most a /12 of IPv4 for services. */
    private static final int WIDEST_PREFIX = 12;

    public ServiceNetwork {
        IPAddress range = range(serviceCidr);
        if (range.getNetworkPrefixLength() < WIDEST_PREFIX || range.getNetworkPrefixLength() > 28) {
            throw new IllegalArgumentException("the service range (--service-cluster-ip-range) must be between a /"
                    + WIDEST_PREFIX + " and a /28, not /" + range.getNetworkPrefixLength());
        }
        if (nodePortMin < 1 || nodePortMax > 65535 || nodePortMin > nodePortMax) {
            throw new IllegalArgumentException("the node port range (--service-node-port-range) must be two ports,"
                    + " low-high, such as " + DEFAULT_NODE_PORT_RANGE);
        }
    }

    public static ServiceNetwork defaults() {
        return of(DEFAULT_SERVICE_CIDR, DEFAULT_NODE_PORT_RANGE);
    }

    /** From the flags' text: a CIDR and {@code low-high}. */
    public static ServiceNetwork of(String serviceCidr, String nodePortRange) {
        String[] bounds = nodePortRange == null ? new String[0] : nodePortRange.trim().split("-");
        try {
            if (bounds.length != 2) {
                throw new NumberFormatException();
            }
            return new ServiceNetwork(serviceCidr, Integer.parseInt(bounds[0].trim()), Integer.parseInt(bounds[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the node port range (--service-node-port-range) must be low-high,"
                    + " such as " + DEFAULT_NODE_PORT_RANGE + ", not \"" + nodePortRange + "\"");
        }
    }

    /** The range as a prefix block. */
    public IPAddress range() {
        return range(serviceCidr);
    }

    /** The {@code kubernetes} Service's address: the range's first host, as in Kubernetes. */
    public String kubernetesServiceIp() {
        return host(1);
    }

    /** The cluster DNS Service's address: the tenth host, as kubeadm and kops choose it. */
    public String dnsServiceIp() {
        return host(10);
    }

    public String nodePortRange() {
        return nodePortMin + "-" + nodePortMax;
    }

    private String host(int offset) {
        return range().getLower().withoutPrefixLength().increment(offset).toNormalizedString();
    }

    private static IPAddress range(String cidr) {
        IPAddress address = cidr == null ? null : new IPAddressString(cidr.trim()).getAddress();
        if (address == null || !address.isPrefixed() || !address.isIPv4()) {
            throw new IllegalArgumentException("the service range (--service-cluster-ip-range) must be an IPv4 CIDR"
                    + " such as " + DEFAULT_SERVICE_CIDR + ", not \"" + cidr + "\"");
        }
        IPAddress block = address.toPrefixBlock();
        if (!block.getLower().equals(address.getLower())) {
            throw new IllegalArgumentException("the service range (--service-cluster-ip-range) " + cidr
                    + " has host bits set: did you mean " + block.toCanonicalString() + "?");
        }
        return block;
    }
}
