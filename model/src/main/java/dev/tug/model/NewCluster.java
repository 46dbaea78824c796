package dev.tug.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Turns the flags of {@code tug create cluster} into a defaulted, validated Cluster and its instance groups. */
public final class NewCluster {

    /** What the operator typed; null or empty means "not given". */
    public static final class Options {
        public String name;
        public String cloud;
        public List<String> zones = new ArrayList<>();
        public String region;
        public Integer nodeCount;
        public String nodeSize;
        public String controlPlaneSize;
        public Integer controlPlaneCount;
        public String image;
        public List<String> adminAccess = new ArrayList<>();
        public String networkCIDR;
        public Map<String, String> cloudLabels = new LinkedHashMap<>();
        public List<String> controlPlaneHosts = new ArrayList<>();
        public List<String> nodeHosts = new ArrayList<>();
    }

    public record Spec(Cluster cluster, List<InstanceGroup> instanceGroups) {
        public List<Object> objects() {
            List<Object> all = new ArrayList<>();
            all.add(cluster);
            all.addAll(instanceGroups);
            return all;
        }
    }

    private final Options options;
    private final List<Problem> problems = new ArrayList<>();

    private NewCluster(Options options) {
        this.options = options;
    }

    public static Spec build(Options options) {
        return new NewCluster(options).build();
    }

    private Spec build() {
        String nameProblem = Validator.nameProblem(options.name);
        if (nameProblem != null) {
            throw new SpecException(nameProblem);
        }
        CloudProvider cloud = CloudProvider.parse(options.cloud).orElseThrow(() -> new SpecException(
                options.cloud == null ? "--cloud is required; use one of " + CloudProvider.ids()
                        : "unknown cloud \"" + options.cloud + "\"; use one of " + CloudProvider.ids()));
        Cluster cluster = new Cluster(options.name, cloud.id());
        cluster.spec.region = options.region;
        cluster.spec.image = options.image;
        cluster.spec.networkCIDR = options.networkCIDR;
        cluster.spec.kubernetesAPIAccess.addAll(options.adminAccess);
        if (cloud != CloudProvider.LOCAL) {
            cluster.spec.sshAccess.addAll(options.adminAccess);
        }
        cluster.spec.cloudLabels.putAll(options.cloudLabels);

        List<String> zones = zones(cloud);
        if (cloud.isCloud()) {
            zones.forEach(zone -> cluster.spec.subnets.add(new Subnet(zone, zone, null, Subnet.PUBLIC)));
        }
        int controlPlaneCount = controlPlaneCount(cloud);
        int nodeCount = nodeCount(cloud, zones);
        notFor(cloud, "--node-size", options.nodeSize);
        notFor(cloud, "--control-plane-size", options.controlPlaneSize);
        if (cloud != CloudProvider.METAL && (!options.controlPlaneHosts.isEmpty() || !options.nodeHosts.isEmpty())) {
            problem("--control-plane-hosts/--node-hosts", "hosts are only given for --cloud metal");
        }
        if (!problems.isEmpty()) {
            throw new SpecException("cannot create cluster " + options.name, problems);
        }

        List<InstanceGroup> groups = new ArrayList<>();
        if (cloud == CloudProvider.METAL) {
            groups.add(metalGroup(cloud, "control-plane-", Role.CONTROL_PLANE, options.controlPlaneHosts));
            if (!options.nodeHosts.isEmpty()) {
                groups.add(metalGroup(cloud, "nodes-", Role.NODE, options.nodeHosts));
            }
        } else {
            spread(groups, zones, "control-plane-", Role.CONTROL_PLANE, controlPlaneCount, options.controlPlaneSize);
            spread(groups, zones, "nodes-", Role.NODE, nodeCount, options.nodeSize);
        }
        Validator.completeAndCheck("cannot create cluster " + options.name, cluster, groups);
        return new Spec(cluster, groups);
    }

    private List<String> zones(CloudProvider cloud) {
        List<String> zones = new ArrayList<>(new LinkedHashSet<>(options.zones));
        if (!cloud.isCloud()) {
            if (!zones.isEmpty()) {
                problem("--zones", "zones are not used with --cloud " + cloud.id() + "; leave --zones out");
            }
            if (options.region != null) {
                problem("--region", "regions are not used with --cloud " + cloud.id() + "; leave --region out");
            }
            return List.of(cloud.soleZone());
        }
        if (zones.isEmpty()) {
            problem("--zones", "is required for --cloud " + cloud.id() + " (for example --zones " + cloud.exampleZone()
                    + ")");
            return zones;
        }
        String region = options.region;
        for (String zone : zones) {
            String zoneRegion = cloud.regionOf(zone).orElse(null);
            if (zoneRegion == null) {
                problem("--zones", "\"" + zone + "\" is not a " + cloud.id() + " zone (for example "
                        + cloud.exampleZone() + ")");
            } else if (region == null) {
                region = zoneRegion;
            } else if (!region.equals(zoneRegion)) {
                problem("--zones", "zone " + zone + " does not belong to region " + region + " (it is in "
                        + zoneRegion + "); all zones of a cluster must be in one region");
            }
        }
        return zones;
    }

    private int controlPlaneCount(CloudProvider cloud) {
        if (cloud == CloudProvider.METAL) {
            if (options.controlPlaneCount != null) {
                problem("--control-plane-count", "for --cloud metal the count is the number of --control-plane-hosts");
            }
            if (options.controlPlaneHosts.isEmpty()) {
                problem("--control-plane-hosts", "is required for --cloud metal (the machines to install the control"
                        + " plane on, e.g. --control-plane-hosts 10.0.0.10)");
            }
            return options.controlPlaneHosts.size();
        }
        int count = options.controlPlaneCount == null ? 1 : options.controlPlaneCount;
        if (count != 1 && count != 3) {
            problem("--control-plane-count", count + " is not supported; use 1, or 3 for a highly available control"
                    + " plane");
        }
        return count;
    }

    private int nodeCount(CloudProvider cloud, List<String> zones) {
        if (cloud == CloudProvider.METAL) {
            if (options.nodeCount != null) {
                problem("--node-count", "for --cloud metal the count is the number of --node-hosts");
            }
            return options.nodeHosts.size();
        }
        int count = options.nodeCount == null ? Math.max(1, zones.size()) : options.nodeCount;
        if (count < 0) {
            problem("--node-count", "must not be negative");
        }
        return count;
    }

    private void notFor(CloudProvider cloud, String flag, String value) {
        if (value != null && !cloud.isCloud()) {
            problem(flag, "machine sizes are not used with --cloud " + cloud.id() + "; leave " + flag + " out");
        }
    }

    /** Machines spread round-robin over the zones, one instance group per zone that gets any (kops-style names). */
    private void spread(List<InstanceGroup> groups, List<String> zones, String prefix, String role, int count,
                        String machineType) {
        int[] perZone = new int[zones.size()];
        for (int i = 0; i < count; i++) {
            perZone[i % zones.size()]++;
        }
        for (int z = 0; z < zones.size(); z++) {
            if (perZone[z] == 0) {
                continue;
            }
            InstanceGroup group = new InstanceGroup(options.name, prefix + zones.get(z), role);
            group.spec.minSize = perZone[z];
            group.spec.maxSize = perZone[z];
            group.spec.machineType = machineType;
            group.spec.zones.add(zones.get(z));
            groups.add(group);
        }
    }

    private InstanceGroup metalGroup(CloudProvider cloud, String prefix, String role, List<String> hosts) {
        InstanceGroup group = new InstanceGroup(options.name, prefix + cloud.soleZone(), role);
        group.spec.hosts.addAll(hosts);
        return group;
    }

    private void problem(String flag, String message) {
        problems.add(new Problem(flag, message));
    }
}
