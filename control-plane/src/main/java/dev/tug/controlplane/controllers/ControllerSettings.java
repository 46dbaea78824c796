package dev.tug.controlplane.controllers;

import java.time.Duration;

/**
 * Tunables of the controllers, with Kubernetes' defaults.
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

    public static ControllerSettings defaults() {
        return new ControllerSettings(Duration.ofSeconds(40), 300, 300, DEFAULT_CLUSTER_CIDR, 24);
    }
}
