package dev.tug.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks a cluster and its instance groups, reporting every problem rather than the first. */
public final class Validator {
    /** Cluster names end up in DNS names, cloud tags and resource names: lowercase DNS labels joined by dots. */
    private static final Pattern CLUSTER_NAME =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final int MAX_CLUSTER_NAME = 63;
    private static final Pattern GROUP_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern LABEL_KEY =
            Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                    + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
    private static final Pattern TAINT = Pattern.compile("^([^=:]+)(=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\\d{1,5})?$");
    /** A metal machine: host[:port], with the SSH user in front when it is not spec.sshUser. */
    private static final Pattern METAL_HOST = Pattern.compile("^([a-z_][-a-z0-9_.]*@)?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\\d{1,5})?$");
    private static final Set<Integer> CONTROL_PLANE_SIZES = Set.of(1, 3, 5);

    private final List<Problem> problems = new ArrayList<>();

    private Validator() {
    }

    public static List<Problem> validate(Cluster cluster, List<InstanceGroup> groups) {
        Validator v = new Validator();
        v.cluster(cluster);
        CloudProvider cloud = cluster.cloud();
        Set<String> names = new HashSet<>();
        int controlPlaneMachines = 0;
        for (InstanceGroup group : groups) {
            String path = "instancegroup[" + group.name() + "]";
            v.instanceGroup(cluster, cloud, group, path);
            if (!names.add(String.valueOf(group.name()))) {
                v.add(path + ".metadata.name", "is used by two instance groups");
            }
            if (group.isControlPlane() && group.spec.minSize != null) {
                controlPlaneMachines += group.spec.minSize;
            }
        }
        if (groups.stream().noneMatch(InstanceGroup::isControlPlane)) {
            v.add("instancegroups", "the cluster needs an instance group with role ControlPlane");
        } else if (!CONTROL_PLANE_SIZES.contains(controlPlaneMachines)) {
            v.add("instancegroups", "the control plane has " + controlPlaneMachines
                    + " machines; use 1, 3 or 5 so its store keeps a majority");
        }
        return v.problems;
    }

    /** Applies the defaults, then checks: the one gate every spec passes before it is stored or shown. */
    public static void completeAndCheck(String context, Cluster cluster, List<InstanceGroup> groups) {
        Defaults.apply(cluster, groups);
        List<Problem> problems = validate(cluster, groups);
        if (!problems.isEmpty()) {
            throw new SpecException(context, problems);
        }
    }

    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a cluster name is required";
        }
        if (name.length() > MAX_CLUSTER_NAME || !CLUSTER_NAME.matcher(name).matches()) {
            return "\"" + name + "\" is not a valid cluster name: use lowercase letters, digits, '-' and '.',"
                    + " starting and ending with a letter or digit, at most " + MAX_CLUSTER_NAME + " characters";
        }
        return null;
    }

    private void cluster(Cluster cluster) {
        apiVersionAndKind(cluster.apiVersion, cluster.kind, Cluster.KIND, "");
        String nameProblem = nameProblem(cluster.name());
        if (nameProblem != null) {
            add("metadata.name", nameProblem);
        }
        ClusterSpec spec = cluster.spec;
        CloudProvider cloud = cluster.cloud();
        if (spec.cloudProvider == null) {
            add("spec.cloudProvider", "is required; use one of " + CloudProvider.ids());
        } else if (cloud == null) {
            add("spec.cloudProvider", "\"" + spec.cloudProvider + "\" is not supported; use one of "
                    + CloudProvider.ids());
        }
        Cidr network = cidr("spec.networkCIDR", spec.networkCIDR);
        cidrs("spec.kubernetesAPIAccess", spec.kubernetesAPIAccess);
        cidrs("spec.sshAccess", spec.sshAccess);
        cidrs("spec.nodePortAccess", spec.nodePortAccess);
        if (cloud != null && cloud.isCloud()) {
            subnets(spec, cloud, network);
            if (spec.sshUser == null || spec.sshUser.isBlank()) {
                add("spec.sshUser", "is required for " + cloud.id());
            }
        } else if (cloud != null && !spec.subnets.isEmpty()) {
            add("spec.subnets", "subnets are not used with cloudProvider " + cloud.id() + "; remove them");
        }
        if (cloud == CloudProvider.METAL && (spec.sshUser == null || spec.sshUser.isBlank())) {
            add("spec.sshUser", "is required for metal");
        }
        if (spec.controlPlaneEndpoint != null && !spec.controlPlaneEndpoint.isEmpty()
                && !HOST.matcher(spec.controlPlaneEndpoint).matches()) {
            add("spec.controlPlaneEndpoint", "\"" + spec.controlPlaneEndpoint + "\" is not a host or host:port");
        }
        Set<String> addons = new HashSet<>();
        for (int i = 0; i < spec.addons.size(); i++) {
            Addon addon = spec.addons.get(i);
            String path = "spec.addons[" + i + "].name";
            if (addon == null || addon.name == null) {
                add(path, "is required");
            } else if (!Addon.KNOWN.contains(addon.name)) {
                add(path, "unknown add-on \"" + addon.name + "\"; known add-ons: " + String.join(", ", Addon.KNOWN));
            } else if (!addons.add(addon.name)) {
                add(path, "add-on \"" + addon.name + "\" is listed twice");
            }
        }
        spec.cloudLabels.forEach((key, value) -> {
            if (key == null || key.isBlank() || key.length() > 127) {
                add("spec.cloudLabels", "\"" + key + "\" is not a valid tag key (1 to 127 characters)");
            } else if (value != null && value.length() > 255) {
                add("spec.cloudLabels[" + key + "]", "tag values are at most 255 characters");
            }
        });
    }

    private void subnets(ClusterSpec spec, CloudProvider cloud, Cidr network) {
        if (spec.subnets.isEmpty()) {
            add("spec.subnets", "at least one subnet is required for " + cloud.id()
                    + " (for example zone " + cloud.exampleZone() + ")");
        }
        Map<String, Integer> namesSeen = new HashMap<>();
        List<Cidr> blocks = new ArrayList<>();
        for (int i = 0; i < spec.subnets.size(); i++) {
            Subnet subnet = spec.subnets.get(i);
            String path = "spec.subnets[" + i + "]";
            if (subnet.zone == null) {
                add(path + ".zone", "is required");
            } else {
                String region = cloud.regionOf(subnet.zone).orElse(null);
                if (region == null) {
                    add(path + ".zone", "\"" + subnet.zone + "\" is not a " + cloud.id()
                            + " zone (for example " + cloud.exampleZone() + ")");
                } else if (spec.region != null && !spec.region.equals(region)) {
                    add(path + ".zone", "zone " + subnet.zone + " is not in region " + spec.region
                            + " (it is in " + region + ")");
                }
            }
            if (subnet.name != null) {
                Integer other = namesSeen.putIfAbsent(subnet.name, i);
                if (other != null) {
                    add(path + ".name", "\"" + subnet.name + "\" is also the name of spec.subnets[" + other + "]");
                }
            }
            if (subnet.type != null && !Subnet.PUBLIC.equals(subnet.type) && !Subnet.PRIVATE.equals(subnet.type)) {
                add(path + ".type", "\"" + subnet.type + "\" is not Public or Private");
            }
            Cidr block = cidr(path + ".cidr", subnet.cidr);
            if (block != null) {
                if (network != null && !network.contains(block)) {
                    add(path + ".cidr", subnet.cidr + " is not inside spec.networkCIDR " + network);
                }
                for (int j = 0; j < blocks.size(); j++) {
                    if (blocks.get(j) != null && blocks.get(j).overlaps(block)) {
                        add(path + ".cidr", subnet.cidr + " overlaps spec.subnets[" + j + "].cidr " + blocks.get(j));
                    }
                }
            }
            blocks.add(block);
        }
    }

    private void instanceGroup(Cluster cluster, CloudProvider cloud, InstanceGroup group, String prefix) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        apiVersionAndKind(group.apiVersion, group.kind, InstanceGroup.KIND, at);
        InstanceGroupSpec spec = group.spec;
        if (group.name() == null || !GROUP_NAME.matcher(group.name()).matches() || group.name().length() > 63) {
            add(at + "metadata.name", "\"" + group.name() + "\" is not a valid instance group name: use lowercase"
                    + " letters, digits and '-', at most 63 characters");
        }
        String owner = group.clusterName();
        if (owner != null && cluster.name() != null && !owner.equals(cluster.name())) {
            add(at + "metadata.labels[" + ApiVersion.CLUSTER_LABEL + "]",
                    "names cluster " + owner + ", not " + cluster.name());
        }
        if (spec.role == null) {
            add(at + "spec.role", "is required; use ControlPlane or Node");
        } else if (!Role.ALL.contains(spec.role)) {
            add(at + "spec.role", "\"" + spec.role + "\" is not ControlPlane or Node");
        }
        if (spec.minSize != null && spec.minSize < 0) {
            add(at + "spec.minSize", "must not be negative");
        }
        if (spec.minSize != null && spec.maxSize != null && spec.maxSize < spec.minSize) {
            add(at + "spec.maxSize", spec.maxSize + " is less than minSize " + spec.minSize);
        }
        if (spec.rootVolumeSize != null && spec.rootVolumeSize <= 0) {
            add(at + "spec.rootVolumeSize", "must be a positive number of GiB");
        }
        spec.nodeLabels.forEach((key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
                add(at + "spec.nodeLabels", "\"" + key + "\" is not a valid label key");
            } else if (value != null && !LABEL_VALUE.matcher(value).matches()) {
                add(at + "spec.nodeLabels[" + key + "]", "\"" + value + "\" is not a valid label value");
            }
        });
        for (int i = 0; i < spec.taints.size(); i++) {
            String taint = spec.taints.get(i);
            if (taint == null || !TAINT.matcher(taint).matches()) {
                add(at + "spec.taints[" + i + "]", "\"" + taint + "\" is not key=value:Effect with Effect one of"
                        + " NoSchedule, PreferNoSchedule, NoExecute");
            }
        }
        if (cloud == null) {
            return;
        }
        if (cloud.isCloud()) {
            Set<String> zones = new TreeSet<>();
            Set<String> subnetNames = new HashSet<>();
            for (Subnet subnet : cluster.spec.subnets) {
                if (subnet.zone != null) {
                    zones.add(subnet.zone);
                }
                subnetNames.add(subnet.name);
            }
            for (int i = 0; i < spec.zones.size(); i++) {
                if (!zones.contains(spec.zones.get(i))) {
                    add(at + "spec.zones[" + i + "]", "zone " + spec.zones.get(i) + " has no subnet in the cluster"
                            + " (cluster zones: " + String.join(", ", zones) + ")");
                }
            }
            for (int i = 0; i < spec.subnets.size(); i++) {
                if (!subnetNames.contains(spec.subnets.get(i))) {
                    add(at + "spec.subnets[" + i + "]", "subnet " + spec.subnets.get(i) + " is not in spec.subnets of"
                            + " the cluster");
                }
            }
        }
        if (cloud == CloudProvider.METAL) {
            metalHosts(spec, at);
        } else if (!spec.hosts.isEmpty()) {
            add(at + "spec.hosts", "hosts are only used with cloudProvider metal");
        }
    }

    private void metalHosts(InstanceGroupSpec spec, String at) {
        if (spec.hosts.isEmpty() && spec.minSize != null && spec.minSize > 0) {
            add(at + "spec.hosts", "metal instance groups list their machines here ([user@]host[:port])");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.hosts.size(); i++) {
            String host = spec.hosts.get(i);
            if (host == null || !METAL_HOST.matcher(host).matches()) {
                add(at + "spec.hosts[" + i + "]", "\"" + host + "\" is not [user@]host[:port]");
            } else if (!seen.add(host)) {
                add(at + "spec.hosts[" + i + "]", host + " is listed twice");
            }
        }
        if (spec.minSize != null && spec.maxSize != null
                && (spec.minSize != spec.hosts.size() || spec.maxSize != spec.hosts.size())) {
            add(at + "spec.minSize", "metal groups have exactly their hosts: set minSize and maxSize to "
                    + spec.hosts.size());
        }
    }

    private void apiVersionAndKind(String apiVersion, String kind, String expectedKind, String at) {
        if (!ApiVersion.V1ALPHA1.equals(apiVersion)) {
            add(at + "apiVersion", "\"" + apiVersion + "\" is not supported; use " + ApiVersion.V1ALPHA1);
        }
        if (!expectedKind.equals(kind)) {
            add(at + "kind", "expected " + expectedKind + ", not " + kind);
        }
    }

    private Cidr cidr(String path, String text) {
        if (text == null) {
            add(path, "is required");
            return null;
        }
        var parsed = Cidr.parse(text);
        if (parsed.isEmpty()) {
            add(path, text + " is not a valid CIDR");
        }
        return parsed.orElse(null);
    }

    private void cidrs(String path, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            cidr(path + "[" + i + "]", values.get(i));
        }
    }

    private void add(String path, String message) {
        problems.add(new Problem(path, message));
    }
}
