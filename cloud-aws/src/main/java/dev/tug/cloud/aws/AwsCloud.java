package dev.tug.cloud.aws;

import dev.tug.engine.ApiCalls;
import dev.tug.engine.Cloud;
import dev.tug.engine.CloudException;
import dev.tug.engine.Errors;
import dev.tug.engine.OwnedResource;
import dev.tug.engine.Task;
import dev.tug.model.ApiVersion;
import dev.tug.model.Cluster;
import dev.tug.model.Defaults;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Role;
import dev.tug.model.Subnet;
import dev.tug.state.Environment;
import dev.tug.state.SshPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * A cluster on AWS: a VPC with one public subnet per zone, an internet gateway and route table, security groups
 * per role, IAM roles with instance profiles, the SSH key pair, a launch template and auto scaling group per
 * instance group, and a network load balancer for the API.
 */
public final class AwsCloud implements Cloud {
    static final String CONTROL_PLANE = "control-plane";
    static final String NODES = "nodes";
    private static final List<String> CONTROL_PLANE_ACTIONS = List.of("ec2:DescribeInstances", "ec2:DescribeRegions",
            "ec2:DescribeAvailabilityZones", "autoscaling:DescribeAutoScalingGroups",
            "elasticloadbalancing:DescribeTargetHealth");
    private static final List<String> NODE_ACTIONS = List.of("ec2:DescribeInstances", "ec2:DescribeRegions");

    private final Cluster cluster;
    private final List<InstanceGroup> groups;
    private final List<SshPublicKey> sshKeys;
    private final AwsClients aws;
    private final ClusterTags tags;

    public AwsCloud(Cluster cluster, List<InstanceGroup> groups, List<SshPublicKey> sshKeys, Environment env) {
        this.cluster = cluster;
        this.groups = groups;
        this.sshKeys = sshKeys;
        if (cluster.spec.region == null) {
            throw new CloudException("cluster " + cluster.name() + " has no region; set spec.region or subnet zones"
                    + " with `tug edit cluster " + cluster.name() + "`");
        }
        this.aws = new AwsClients(cluster.spec.region, env);
        this.tags = new ClusterTags(cluster.name(), cluster.spec.cloudLabels);
    }

    @Override
    public List<Task> tasks() {
        checkZones();
        checkInstanceTypes();
        if (sshKeys.isEmpty()) {
            throw new CloudException("cluster " + cluster.name() + " has no SSH public key in its state; add one with"
                    + " `tug create secret sshpublickey` or re-create the cluster with --ssh-public-key");
        }
        String name = cluster.name();
        List<Task> tasks = new ArrayList<>();
        tasks.add(new VpcTask(aws, tags, cluster.spec.networkCIDR));
        tasks.add(new InternetGatewayTask(aws, tags));
        Map<String, String> subnetKeys = new HashMap<>();
        for (Subnet subnet : cluster.spec.subnets) {
            if (Subnet.PRIVATE.equals(subnet.type)) {
                throw new CloudException("subnet " + subnet.name + " is Private; this version makes public subnets"
                        + " only (private ones need a NAT gateway); set its type to Public");
            }
            SubnetTask task = new SubnetTask(aws, tags, subnet.name + "." + name, subnet.cidr, subnet.zone);
            tasks.add(task);
            subnetKeys.put(subnet.name, task.key());
        }
        List<String> allSubnets = List.copyOf(new TreeSet<>(subnetKeys.values()));
        tasks.add(new RouteTableTask(aws, tags, allSubnets));
        // an internet-facing load balancer needs the gateway, and machines need their route out
        List<String> routing = List.of(AwsTask.key(InternetGatewayTask.TYPE, name), AwsTask.key(RouteTableTask.TYPE, name));

        String controlPlane = CONTROL_PLANE + "." + name;
        String nodes = NODES + "." + name;
        tasks.add(new SecurityGroupTask(aws, tags, controlPlane, "control plane of tug cluster " + name));
        tasks.add(new SecurityGroupTask(aws, tags, nodes, "nodes of tug cluster " + name));
        String cpKey = AwsTask.key(SecurityGroupTask.TYPE, controlPlane);
        String nodesKey = AwsTask.key(SecurityGroupTask.TYPE, nodes);
        tasks.add(new SecurityGroupRulesTask(aws, tags, controlPlane, List.of(nodes), context -> {
            List<IngressRule> rules = new ArrayList<>();
            cluster.spec.sshAccess.forEach(cidr -> rules.add(IngressRule.tcp(22, 22, cidr)));
            cluster.spec.kubernetesAPIAccess.forEach(cidr -> rules.add(IngressRule.tcp(Defaults.API_PORT,
                    Defaults.API_PORT, cidr)));
            // the load balancer's health checks come from inside the VPC
            rules.add(IngressRule.tcp(Defaults.API_PORT, Defaults.API_PORT, cluster.spec.networkCIDR));
            rules.add(IngressRule.all(context.ref(cpKey)));
            rules.add(IngressRule.all(context.ref(nodesKey)));
            return rules;
        }));
        tasks.add(new SecurityGroupRulesTask(aws, tags, nodes, List.of(controlPlane), context -> {
            List<IngressRule> rules = new ArrayList<>();
            cluster.spec.sshAccess.forEach(cidr -> rules.add(IngressRule.tcp(22, 22, cidr)));
            cluster.spec.nodePortAccess.forEach(cidr -> rules.add(IngressRule.tcp(30000, 32767, cidr)));
            rules.add(IngressRule.all(context.ref(nodesKey)));
            rules.add(IngressRule.all(context.ref(cpKey)));
            return rules;
        }));
        for (String role : List.of(controlPlane, nodes)) {
            tasks.add(new IamRoleTask(aws, tags, role));
            tasks.add(new IamRolePolicyTask(aws, tags, role, role.equals(controlPlane) ? CONTROL_PLANE_ACTIONS
                    : NODE_ACTIONS));
            tasks.add(new InstanceProfileTask(aws, tags, role));
        }
        SshPublicKey sshKey = sshKeys.get(0);
        KeyPairTask keyPair = new KeyPairTask(aws, tags, sshKey);
        tasks.add(keyPair);

        TargetGroupTask targetGroup = new TargetGroupTask(aws, tags, Defaults.API_PORT);
        tasks.add(targetGroup);
        Set<String> controlPlaneSubnets = new TreeSet<>();
        ImageLookup images = new ImageLookup(aws);
        Map<String, Image> resolved = new HashMap<>();
        for (InstanceGroup group : groups) {
            boolean isControlPlane = Role.CONTROL_PLANE.equals(group.spec.role);
            String groupName = group.name() + "." + name;
            String role = isControlPlane ? controlPlane : nodes;
            Image image = resolved.computeIfAbsent(group.spec.image,
                    spec -> images.resolve(spec, "instance group " + group.name()));
            tasks.add(new LaunchTemplateTask(aws, tags, groupName, image, group.spec.machineType, keyPair.name(),
                    group.spec.rootVolumeSize == null ? 64 : group.spec.rootVolumeSize, role, role));
            List<String> keys = new ArrayList<>();
            for (String subnet : group.spec.subnets) {
                String key = subnetKeys.get(subnet);
                if (key == null) {
                    throw new CloudException("instance group " + group.name() + " names subnet " + subnet
                            + ", which the cluster does not have (it has " + subnetKeys.keySet() + ")");
                }
                keys.add(key);
            }
            if (isControlPlane) {
                controlPlaneSubnets.addAll(keys);
            }
            Map<String, String> extra = Map.of(ApiVersion.INSTANCE_GROUP_LABEL, group.name(),
                    "tug.dev/role", group.spec.role);
            // machines boot into a network whose route and firewall rules are in place
            List<String> ready = List.of(AwsTask.key(RouteTableTask.TYPE, name),
                    AwsTask.key(SecurityGroupRulesTask.TYPE, controlPlane), AwsTask.key(SecurityGroupRulesTask.TYPE, nodes));
            tasks.add(new AutoScalingGroupTask(aws, tags, groupName, group.spec.minSize, group.spec.maxSize, keys,
                    isControlPlane ? Optional.of(targetGroup.key()) : Optional.empty(), extra, ready));
        }
        tasks.add(new LoadBalancerTask(aws, tags, List.copyOf(controlPlaneSubnets.isEmpty() ? new LinkedHashSet<>(allSubnets)
                : controlPlaneSubnets), routing));
        tasks.add(new ListenerTask(aws, tags, Defaults.API_PORT));
        return tasks;
    }

    private void checkZones() {
        List<String> zones;
        try {
            zones = aws.ec2.describeAvailabilityZones(r -> r.allAvailabilityZones(false)).availabilityZones().stream()
                    .map(AvailabilityZone::zoneName).toList();
        } catch (SdkClientException e) {
            throw new CloudException(explain(e), e);
        } catch (AwsServiceException e) {
            throw new CloudException(explain(e), e);
        }
        for (Subnet subnet : cluster.spec.subnets) {
            if (!zones.contains(subnet.zone)) {
                throw new CloudException("zone " + subnet.zone + " (subnet " + subnet.name + ") does not exist in region "
                        + aws.region + "; its zones are " + String.join(", ", zones));
            }
        }
    }

    private void checkInstanceTypes() {
        Map<String, String> usedBy = new java.util.TreeMap<>();
        groups.stream().filter(g -> g.spec.machineType != null)
                .forEach(g -> usedBy.merge(g.spec.machineType, g.name(), (a, b) -> a + ", " + b));
        if (usedBy.isEmpty()) {
            return;
        }
        try {
            Set<String> known = new TreeSet<>(aws.ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(usedBy.keySet()))
                    .instanceTypes().stream().map(InstanceTypeInfo::instanceTypeAsString).toList());
            usedBy.keySet().removeAll(known);
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() == null || !"InvalidInstanceType".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            // the error names the unknown types; check one by one to say which group uses which
            usedBy.keySet().removeIf(this::instanceTypeExists);
        }
        if (!usedBy.isEmpty()) {
            var first = usedBy.entrySet().iterator().next();
            throw new CloudException("instance type " + first.getKey() + " (instance group " + first.getValue()
                    + ") does not exist in region " + aws.region + "; pick another with `tug edit ig "
                    + first.getValue().split(", ")[0] + " --name " + cluster.name() + "`");
        }
    }

    private boolean instanceTypeExists(String type) {
        try {
            return !aws.ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(type)).instanceTypes().isEmpty();
        } catch (Ec2Exception e) {
            if ("InvalidInstanceType".equals(code(e))) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<OwnedResource> discover() {
        return new AwsDiscovery(aws, tags).discover();
    }

    @Override
    public boolean passing(Throwable failure) {
        if (failure instanceof SdkClientException client) {
            return !isCredentialProblem(client);
        }
        if (!(failure instanceof AwsServiceException e)) {
            return false;
        }
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return true;
        }
        String code = code(e);
        String message = String.valueOf(e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage());
        // objects another call has just made are not visible everywhere at once; an instance profile reaches
        // EC2 and Auto Scaling some seconds after IAM made it
        return code.endsWith(".NotFound") || code.equals("NoSuchEntity")
                || ((code.equals("InvalidParameterValue") || code.equals("ValidationError"))
                        && message.toLowerCase(java.util.Locale.ROOT).contains("instance profile"));
    }

    @Override
    public boolean gone(Throwable failure) {
        if (!(failure instanceof AwsServiceException e)) {
            return false;
        }
        String code = code(e);
        // each deletion reads the object's current state first, so "not found" means the object itself is gone
        return code.endsWith("NotFound") || code.equals("NoSuchEntity")
                || (code.equals("ValidationError") && String.valueOf(e.getMessage()).contains("not found"));
    }

    @Override
    public boolean inUse(Throwable failure) {
        if (!(failure instanceof AwsServiceException e)) {
            return false;
        }
        String code = code(e);
        return code.equals("DependencyViolation") || code.equals("ResourceInUse") || code.equals("DeleteConflict")
                || code.equals("ScalingActivityInProgress") || code.equals("InvalidIPAddress.InUse");
    }

    @Override
    public String explain(Throwable failure) {
        if (failure instanceof CloudException) {
            return failure.getMessage();
        }
        if (failure instanceof SdkClientException client && isCredentialProblem(client)) {
            return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
                    + " (see `aws configure`)";
        }
        if (failure instanceof AwsServiceException e) {
            String code = code(e);
            String message = e.awsErrorDetails() == null ? Errors.firstLine(e) : e.awsErrorDetails().errorMessage();
            if (code.contains("LimitExceeded") || code.equals("InsufficientInstanceCapacity")) {
                return "AWS quota reached (" + code + "): " + message + "; raise the limit in the Service Quotas"
                        + " console or free some";
            }
            if (code.equals("AuthFailure") || code.equals("InvalidClientTokenId") || code.equals("SignatureDoesNotMatch")
                    || code.equals("UnrecognizedClientException")) {
                return "AWS rejected the credentials (" + code + "): check AWS_ACCESS_KEY_ID / AWS_PROFILE";
            }
            if (code.equals("UnauthorizedOperation") || code.equals("AccessDenied")) {
                return "not allowed (" + code + "): " + message + "; the credentials need EC2, IAM, Auto Scaling"
                        + " and Elastic Load Balancing permissions";
            }
            return code.isEmpty() ? Errors.firstLine(e) : code + ": " + message;
        }
        return Errors.firstLine(failure);
    }

    private static boolean isCredentialProblem(SdkClientException e) {
        return String.valueOf(e.getMessage()).contains("Unable to load credentials");
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    @Override
    public ApiCalls calls() {
        return aws.calls;
    }

    /** The API load balancer's DNS name. */
    @Override
    public Optional<String> apiAddress() {
        try {
            return aws.elb.describeLoadBalancers(r -> r.names(tags.shortName("api"))).loadBalancers().stream()
                    .findFirst().map(b -> b.dnsName());
        } catch (AwsServiceException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        aws.close();
    }
}
