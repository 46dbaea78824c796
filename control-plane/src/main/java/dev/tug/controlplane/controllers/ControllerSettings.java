package dev.tug.controlplane.controllers;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.time.Duration;

/**
 * Tunables of the controllers, with Kubernetes' defaults. Refuses values that cannot work with an
 * IllegalArgumentException naming the problem and the {@code tug server} flag that sets it.
 *
 * @param nodeMonitorGracePeriod how long a node may miss heartbeats before it is NotReady
 * @param notReadyTolerationSeconds how long pods stay on a NotReady node unless they say otherwise
 * @param unreachableTolerationSeconds how long pods stay on an unreachable node unless they say otherwise
 * @param clusterCidr the range node pod ranges ({@code spec.podCIDR}) are cut from
 * @param nodeCidrMaskSize the prefix length of each node's pod range
 */
public record ControllerSettings(Duration nodeMonitorGracePeriod, long notReadyTolerationSeconds,
        long unreachableTolerationSeconds, String clusterCidr, int nodeCidrMaskSize) {

    /**
     * Pod ranges default to loopback space: the process runtime gives each pod its own loopback
     * address, which needs no root and no network set-up.
     */
    public static final String DEFAULT_CLUSTER_CIDR = "127.128.0.0/10";
    /** As in Kubernetes: at most 65536 node ranges, so finding a free one stays cheap. */
    static final int MAX_NODE_RANGE_BITS = 16;

    public ControllerSettings {
        if (nodeMonitorGracePeriod == null || nodeMonitorGracePeriod.isNegative() || nodeMonitorGracePeriod.isZero()) {
            throw new IllegalArgumentException("the node monitor grace period (--node-monitor-grace-period) must be"
                    + " positive, not " + nodeMonitorGracePeriod);
        }
        if (notReadyTolerationSeconds < 0 || unreachableTolerationSeconds < 0) {
            throw new IllegalArgumentException("default toleration seconds (--default-not-ready-toleration-seconds,"
                    + " --default-unreachable-toleration-seconds) cannot be negative");
        }
        IPAddress range = clusterRange(clusterCidr);
        int clusterPrefix = range.getNetworkPrefixLength();
        int longest = Math.min(range.getBitCount() - 2, clusterPrefix + MAX_NODE_RANGE_BITS); // 2+ pod addresses a node
        if (nodeCidrMaskSize < clusterPrefix || nodeCidrMaskSize > longest) {
            throw new IllegalArgumentException("the node pod range size (--node-cidr-mask-size) /" + nodeCidrMaskSize
                    + " must lie between the cluster range's /" + clusterPrefix + " and /" + longest
                    + " (at most " + MAX_NODE_RANGE_BITS + " bits longer, as in Kubernetes)");
        }
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(Duration.ofSeconds(40), 300, 300, DEFAULT_CLUSTER_CIDR, 24);
    }

    /** The cluster range as a prefix block (10.244.0.0/16); IPv4 or IPv6. */
    IPAddress clusterRange() {
        return clusterRange(clusterCidr);
    }

    private static IPAddress clusterRange(String cidr) {
        IPAddress address = cidr == null ? null : new IPAddressString(cidr.trim()).getAddress();
        if (address == null || !address.isPrefixed()) {
            throw new IllegalArgumentException("the cluster range (--cluster-cidr) must be a CIDR such as 10.244.0.0/16,"
                    + " not \"" + cidr + "\"");
        }
        IPAddress block = address.toPrefixBlock();
        if (!block.getLower().equals(address.getLower())) {
            throw new IllegalArgumentException("the cluster range (--cluster-cidr) " + cidr + " has host bits set: did you mean "
                    + block.toCanonicalString() + "?");
        }
        return block;
    }
}
