package dev.tug.cloud.aws;

import dev.tug.engine.OwnedResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * Finds everything tagged as owned by the cluster (kubernetes.io/cluster/NAME=owned), whatever the state says,
 * with how to delete each and what must be gone first. Objects merely shared with the cluster are left alone.
 */
final class AwsDiscovery {
    private static final String INSTANCE = "Instance";
    private final AwsClients aws;
    private final ClusterTags tags;

    AwsDiscovery(AwsClients aws, ClusterTags tags) {
        this.aws = aws;
        this.tags = tags;
    }

    List<OwnedResource> discover() {
        List<OwnedResource> found = new ArrayList<>();
        autoScalingGroups(found);
        instances(found);
        launchTemplates(found);
        loadBalancers(found);
        targetGroups(found);
        securityGroups(found);
        network(found);
        keyPairs(found);
        iam(found);
        return found;
    }

    private void autoScalingGroups(List<OwnedResource> found) {
        for (AutoScalingGroup group : aws.autoscaling.describeAutoScalingGroupsPaginator(r -> { })
                .autoScalingGroups()) {
            if (tags.owns(ClusterTags.map(group.tags(), TagDescription::key, TagDescription::value))) {
                String name = group.autoScalingGroupName();
                // force: terminate its machines with it
                found.add(new OwnedResource(AutoScalingGroupTask.TYPE, name, name, Set.of(), () -> aws.autoscaling
                        .deleteAutoScalingGroup(r -> r.autoScalingGroupName(name).forceDelete(true))));
            }
        }
    }

    private void instances(List<OwnedResource> found) {
        var filters = new ArrayList<>(tags.ec2OwnedFilters());
        filters.add(ClusterTags.filter("instance-state-name", "pending", "running", "stopping", "stopped"));
        for (var reservation : aws.ec2.describeInstancesPaginator(r -> r.filters(filters)).reservations()) {
            for (Instance instance : reservation.instances()) {
                String id = instance.instanceId();
                found.add(new OwnedResource(INSTANCE, nameOf(ClusterTags.ec2Map(instance.tags()), id), id,
                        Set.of(AutoScalingGroupTask.TYPE), () -> aws.ec2.terminateInstances(r -> r.instanceIds(id))));
            }
        }
    }

    private void launchTemplates(List<OwnedResource> found) {
        aws.ec2.describeLaunchTemplatesPaginator(r -> r.filters(tags.ec2OwnedFilters())).launchTemplates()
                .forEach(t -> found.add(new OwnedResource(LaunchTemplateTask.TYPE, t.launchTemplateName(),
                        t.launchTemplateId(), Set.of(AutoScalingGroupTask.TYPE),
                        () -> aws.ec2.deleteLaunchTemplate(r -> r.launchTemplateId(t.launchTemplateId())))));
    }

    private void loadBalancers(List<OwnedResource> found) {
        for (LoadBalancer balancer : aws.elb.describeLoadBalancersPaginator(r -> { }).loadBalancers()) {
            String arn = balancer.loadBalancerArn();
            if (tags.owns(ElbTags.of(aws, arn))) {
                // its listeners go with it
                found.add(new OwnedResource(LoadBalancerTask.TYPE, balancer.loadBalancerName(), arn, Set.of(),
                        () -> aws.elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn))));
            }
        }
    }

    private void targetGroups(List<OwnedResource> found) {
        for (TargetGroup group : aws.elb.describeTargetGroupsPaginator(r -> { }).targetGroups()) {
            String arn = group.targetGroupArn();
            if (tags.owns(ElbTags.of(aws, arn))) {
                found.add(new OwnedResource(TargetGroupTask.TYPE, group.targetGroupName(), arn,
                        Set.of(LoadBalancerTask.TYPE, AutoScalingGroupTask.TYPE),
                        () -> aws.elb.deleteTargetGroup(r -> r.targetGroupArn(arn))));
            }
        }
    }

    private void securityGroups(List<OwnedResource> found) {
        for (SecurityGroup group : aws.ec2.describeSecurityGroupsPaginator(r -> r.filters(tags.ec2OwnedFilters()))
                .securityGroups()) {
            String id = group.groupId();
            found.add(new OwnedResource(SecurityGroupTask.TYPE, group.groupName(), id,
                    Set.of(INSTANCE, AutoScalingGroupTask.TYPE, LoadBalancerTask.TYPE), () -> {
                        // the control plane's and nodes' groups refer to each other: drop those rules first, as
                        // they are now (an earlier attempt may have dropped some)
                        SecurityGroup current = aws.ec2.describeSecurityGroups(r -> r.groupIds(id)).securityGroups()
                                .get(0);
                        List<IpPermission> references = current.ipPermissions().stream()
                                .filter(p -> !p.userIdGroupPairs().isEmpty())
                                .map(p -> p.toBuilder().ipRanges(List.of()).ipv6Ranges(List.of())
                                        .prefixListIds(List.of()).userIdGroupPairs(p.userIdGroupPairs().stream()
                                                .map(pair -> UserIdGroupPair.builder().groupId(pair.groupId()).build())
                                                .toList()).build())
                                .toList();
                        // one call per rule: one stale reference must not keep the others in place
                        references.forEach(permission -> revokeIfPresent(id, permission));
                        aws.ec2.deleteSecurityGroup(r -> r.groupId(id));
                    }));
        }
    }

    private void revokeIfPresent(String group, IpPermission permission) {
        try {
            aws.ec2.revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(permission));
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
            // the rule was revoked by an earlier attempt, or the group it names is already gone (its rules with
            // it): either way not a reason to keep this group, and not a sign that this group is gone
            if (!AwsCloud.code(e).equals("InvalidPermission.NotFound") && !AwsCloud.code(e).equals("InvalidGroup.NotFound")) {
                throw e;
            }
        }
    }

    private void network(List<OwnedResource> found) {
        Set<String> users = Set.of(INSTANCE, AutoScalingGroupTask.TYPE, LoadBalancerTask.TYPE);
        aws.ec2.describeSubnetsPaginator(r -> r.filters(tags.ec2OwnedFilters())).subnets().forEach(s ->
                found.add(new OwnedResource(SubnetTask.TYPE, nameOf(ClusterTags.ec2Map(s.tags()), s.subnetId()),
                        s.subnetId(), users, () -> aws.ec2.deleteSubnet(r -> r.subnetId(s.subnetId())))));
        aws.ec2.describeRouteTablesPaginator(r -> r.filters(tags.ec2OwnedFilters())).routeTables().forEach(t ->
                found.add(new OwnedResource(RouteTableTask.TYPE, nameOf(ClusterTags.ec2Map(t.tags()), t.routeTableId()),
                        t.routeTableId(), Set.of(), () -> {
                            // as it is now: an earlier attempt may have removed some associations
                            aws.ec2.describeRouteTables(r -> r.routeTableIds(t.routeTableId())).routeTables().get(0)
                                    .associations().stream().filter(a -> !Boolean.TRUE.equals(a.main())).forEach(a ->
                                    aws.ec2.disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId())));
                            aws.ec2.deleteRouteTable(r -> r.routeTableId(t.routeTableId()));
                        })));
        aws.ec2.describeInternetGatewaysPaginator(r -> r.filters(tags.ec2OwnedFilters())).internetGateways().forEach(g ->
                found.add(new OwnedResource(InternetGatewayTask.TYPE,
                        nameOf(ClusterTags.ec2Map(g.tags()), g.internetGatewayId()), g.internetGatewayId(), users, () -> {
                            aws.ec2.describeInternetGateways(r -> r.internetGatewayIds(g.internetGatewayId()))
                                    .internetGateways().get(0).attachments().forEach(a -> aws.ec2.detachInternetGateway(r -> r
                                    .internetGatewayId(g.internetGatewayId()).vpcId(a.vpcId())));
                            aws.ec2.deleteInternetGateway(r -> r.internetGatewayId(g.internetGatewayId()));
                        })));
        aws.ec2.describeVpcsPaginator(r -> r.filters(tags.ec2OwnedFilters())).vpcs().forEach(v ->
                found.add(new OwnedResource(VpcTask.TYPE, nameOf(ClusterTags.ec2Map(v.tags()), v.vpcId()), v.vpcId(),
                        Set.of(SubnetTask.TYPE, SecurityGroupTask.TYPE, RouteTableTask.TYPE, InternetGatewayTask.TYPE,
                                INSTANCE, LoadBalancerTask.TYPE, TargetGroupTask.TYPE),
                        () -> aws.ec2.deleteVpc(r -> r.vpcId(v.vpcId())))));
    }

    private void keyPairs(List<OwnedResource> found) {
        aws.ec2.describeKeyPairs(r -> r.filters(tags.ec2OwnedFilters())).keyPairs().forEach(k ->
                found.add(new OwnedResource(KeyPairTask.TYPE, k.keyName(), k.keyPairId(), Set.of(),
                        () -> aws.ec2.deleteKeyPair(r -> r.keyName(k.keyName())))));
    }

    private void iam(List<OwnedResource> found) {
        for (InstanceProfile profile : aws.iam.listInstanceProfilesPaginator(r -> r.pathPrefix(IamRoleTask.PATH))
                .instanceProfiles()) {
            String name = profile.instanceProfileName();
            // GetInstanceProfile carries the tags (listings leave them out)
            if (tags.owns(ClusterTags.map(aws.iam.getInstanceProfile(r -> r.instanceProfileName(name))
                    .instanceProfile().tags(), software.amazon.awssdk.services.iam.model.Tag::key, software.amazon.awssdk.services.iam.model.Tag::value))) {
                found.add(new OwnedResource(InstanceProfileTask.TYPE, name, profile.arn(),
                        Set.of(INSTANCE, AutoScalingGroupTask.TYPE), () -> {
                            aws.iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile().roles()
                                    .forEach(role -> aws.iam.removeRoleFromInstanceProfile(r -> r
                                    .instanceProfileName(name).roleName(role.roleName())));
                            aws.iam.deleteInstanceProfile(r -> r.instanceProfileName(name));
                        }));
            }
        }
        for (Role role : aws.iam.listRolesPaginator(r -> r.pathPrefix(IamRoleTask.PATH)).roles()) {
            String name = role.roleName();
            if (tags.owns(ClusterTags.map(aws.iam.listRoleTags(r -> r.roleName(name)).tags(), software.amazon.awssdk.services.iam.model.Tag::key,
                    software.amazon.awssdk.services.iam.model.Tag::value))) {
                found.add(new OwnedResource(IamRoleTask.TYPE, name, role.arn(), Set.of(InstanceProfileTask.TYPE), () -> {
                    aws.iam.listRolePolicies(r -> r.roleName(name)).policyNames()
                            .forEach(policy -> aws.iam.deleteRolePolicy(r -> r.roleName(name).policyName(policy)));
                    aws.iam.listAttachedRolePolicies(r -> r.roleName(name)).attachedPolicies()
                            .forEach(p -> aws.iam.detachRolePolicy(r -> r.roleName(name).policyArn(p.policyArn())));
                    aws.iam.deleteRole(r -> r.roleName(name));
                }));
            }
        }
    }

    private static String nameOf(Map<String, String> tags, String fallback) {
        return tags.getOrDefault(ClusterTags.NAME, fallback);
    }
}
