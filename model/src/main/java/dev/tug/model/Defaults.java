package dev.tug.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The one place where defaults are applied, so that what is stored, shown and provisioned agree.
 * Idempotent: applying it to its own output changes nothing. Fields the operator set are kept.
 */
public final class Defaults {
    public static final String NETWORK_CIDR = "172.20.0.0/16";
    /** A local cluster's share of the loopback range; create picks a free one for each new cluster. */
    public static final String LOCAL_NETWORK_CIDR = "127.20.0.0/16";
    public static final String ANYWHERE = "0.0.0.0/0";
    public static final int API_PORT = 6443;
    public static final String CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane=:NoSchedule";
    /** kops-style subnets: /19 blocks of the network, starting from the second one. */
    private static final int SUBNET_PREFIX_GROWTH = 3;

    private Defaults() {
    }

    public static void apply(Cluster cluster, List<InstanceGroup> groups) {
        applyCluster(cluster);
        boolean hasNodes = groups.stream().anyMatch(g -> Role.NODE.equals(g.spec.role));
        for (InstanceGroup group : groups) {
            applyInstanceGroup(cluster, group, hasNodes);
        }
    }

    static void applyCluster(Cluster cluster) {
        ClusterSpec spec = cluster.spec;
        CloudProvider cloud = cluster.cloud();
        if (spec.networkCIDR == null) {
            spec.networkCIDR = cloud == CloudProvider.LOCAL ? LOCAL_NETWORK_CIDR : NETWORK_CIDR;
        }
        if (spec.kubernetesAPIAccess.isEmpty()) {
            spec.kubernetesAPIAccess.add(ANYWHERE);
        }
        if (spec.sshAccess.isEmpty() && cloud != CloudProvider.LOCAL) {
            spec.sshAccess.add(ANYWHERE);
        }
        if (spec.addons.isEmpty()) {
            spec.addons.add(new Addon(Addon.DASHBOARD));
        }
        if (cloud == null) {
            return;
        }
        if (spec.sshUser == null) {
            spec.sshUser = cloud.defaultSshUser();
        }
        if (spec.image == null) {
            spec.image = cloud.defaultImage();
        }
        if (cloud == CloudProvider.LOCAL && spec.controlPlaneEndpoint == null) {
            // the control-plane machine is the block's first address (see the local cloud)
            var loopback = java.util.regex.Pattern.compile("^127\\.(\\d+)\\.0\\.0/16$").matcher(spec.networkCIDR);
            spec.controlPlaneEndpoint = (loopback.matches() ? "127." + loopback.group(1) + ".0.1" : "127.0.0.1")
                    + ":" + API_PORT;
        }
        if (cloud.isCloud()) {
            applySubnets(spec, cloud);
        }
    }

    private static void applySubnets(ClusterSpec spec, CloudProvider cloud) {
        Cidr network = Cidr.parse(spec.networkCIDR).orElse(null);
        for (int i = 0; i < spec.subnets.size(); i++) {
            Subnet subnet = spec.subnets.get(i);
            if (subnet.name == null) {
                subnet.name = subnet.zone;
            }
            if (subnet.type == null) {
                subnet.type = Subnet.PUBLIC;
            }
            if (subnet.cidr == null && network != null) {
                network.subBlock(network.prefixLength() + SUBNET_PREFIX_GROWTH, i + 1)
                        .ifPresent(block -> subnet.cidr = block.toString());
            }
        }
        if (spec.region == null && !spec.subnets.isEmpty()) {
            cloud.regionOf(spec.subnets.get(0).zone).ifPresent(region -> spec.region = region);
        }
    }

    static void applyInstanceGroup(Cluster cluster, InstanceGroup group, boolean clusterHasNodes) {
        InstanceGroupSpec spec = group.spec;
        CloudProvider cloud = cluster.cloud();
        boolean controlPlane = Role.CONTROL_PLANE.equals(spec.role);
        if (group.metadata.labels.get(ApiVersion.CLUSTER_LABEL) == null && cluster.name() != null) {
            group.metadata.labels.put(ApiVersion.CLUSTER_LABEL, cluster.name());
        }
        int defaultSize = controlPlane ? 1 : 2;
        if (cloud == CloudProvider.METAL && !spec.hosts.isEmpty()) {
            defaultSize = spec.hosts.size();
        }
        if (spec.minSize == null) {
            spec.minSize = spec.maxSize != null ? spec.maxSize : defaultSize;
        }
        if (spec.maxSize == null) {
            spec.maxSize = Math.max(spec.minSize, 0);
        }
        if (group.name() != null) {
            spec.nodeLabels.putIfAbsent(ApiVersion.INSTANCE_GROUP_LABEL, group.name());
        }
        // A cluster of control-plane machines only must be able to run workloads on them.
        if (controlPlane && clusterHasNodes && spec.taints.isEmpty()) {
            spec.taints.add(CONTROL_PLANE_TAINT);
        }
        if (cloud == null) {
            return;
        }
        if (!cloud.isCloud()) {
            if (spec.zones.isEmpty()) {
                spec.zones.add(cloud.soleZone());
            }
            return;
        }
        if (spec.machineType == null) {
            spec.machineType = cloud.defaultMachineType(spec.role);
        }
        if (spec.image == null) {
            spec.image = cluster.spec.image;
        }
        if (spec.rootVolumeSize == null) {
            spec.rootVolumeSize = controlPlane ? 64 : 128;
        }
        if (spec.zones.isEmpty()) {
            var zones = new LinkedHashSet<String>();
            cluster.spec.subnets.forEach(s -> zones.add(s.zone));
            zones.remove(null);
            spec.zones.addAll(zones);
        }
        if (spec.subnets.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Subnet subnet : cluster.spec.subnets) {
                if (spec.zones.contains(subnet.zone) && subnet.name != null) {
                    names.add(subnet.name);
                }
            }
            spec.subnets.addAll(names);
        }
    }
}
