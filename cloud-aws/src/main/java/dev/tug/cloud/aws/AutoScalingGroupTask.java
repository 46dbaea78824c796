package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

/**
 * An instance group's machines: min and max from the group, in its subnets, made from its launch template. The
 * control plane's group also registers its machines with the API load balancer's target group.
 */
final class AutoScalingGroupTask extends AwsTask {
    static final String TYPE = "AutoScalingGroup";
    private final int minSize;
    private final int maxSize;
    private final String templateKey;
    private final List<String> subnetKeys;
    private final Optional<String> targetGroupKey;
    private final Map<String, String> extraTags;

    AutoScalingGroupTask(AwsClients aws, ClusterTags tags, String name, int minSize, int maxSize,
                         List<String> subnetKeys, Optional<String> targetGroupKey, Map<String, String> extraTags,
                         List<String> after) {
        super(aws, tags, TYPE, name, dependencies(name, subnetKeys, targetGroupKey, after));
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.templateKey = key(LaunchTemplateTask.TYPE, name);
        this.subnetKeys = subnetKeys;
        this.targetGroupKey = targetGroupKey;
        this.extraTags = extraTags;
    }

    private static List<String> dependencies(String name, List<String> subnetKeys, Optional<String> targetGroupKey,
                                             List<String> after) {
        List<String> keys = new ArrayList<>(List.of(key(LaunchTemplateTask.TYPE, name)));
        keys.addAll(subnetKeys);
        targetGroupKey.ifPresent(keys::add);
        keys.addAll(after);
        return keys;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<AutoScalingGroup> group = aws.autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name()))
                .autoScalingGroups().stream().findFirst();
        if (group.isEmpty()) {
            return Optional.empty();
        }
        AutoScalingGroup g = group.get();
        tags.requireOwned(ClusterTags.map(g.tags(), TagDescription::key, TagDescription::value),
                "auto scaling group " + name());
        return Optional.of(new Found(g.autoScalingGroupName(), new Fields()
                .put("launchTemplate", g.launchTemplate() == null ? "" : g.launchTemplate().launchTemplateId())
                .put("minSize", g.minSize())
                .put("maxSize", g.maxSize())
                .putSet("subnets", g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isEmpty() ? List.of()
                        : List.of(g.vpcZoneIdentifier().split(",")))
                .putSet("targetGroups", g.targetGroupARNs())));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields()
                .put("launchTemplate", context.ref(templateKey))
                .put("minSize", minSize)
                .put("maxSize", maxSize)
                .putSet("subnets", subnetKeys.stream().map(context::ref).toList())
                .putSet("targetGroups", targetGroupKey.map(context::ref).stream().toList());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        LaunchTemplateSpecification template = LaunchTemplateSpecification.builder()
                .launchTemplateId(context.require(templateKey)).version("$Latest").build();
        String subnets = String.join(",", subnetKeys.stream().map(context::require).toList());
        List<String> targetGroups = targetGroupKey.map(context::require).stream().toList();
        if (live == null) {
            List<Tag> tagList = new ArrayList<>();
            Map<String, String> all = new java.util.LinkedHashMap<>(tags.of(name()));
            all.putAll(extraTags);
            all.forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).propagateAtLaunch(true)
                    .resourceId(name()).resourceType("auto-scaling-group").build()));
            aws.autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name()).launchTemplate(template)
                    .minSize(minSize).maxSize(maxSize).desiredCapacity(minSize).vpcZoneIdentifier(subnets)
                    .targetGroupARNs(targetGroups).tags(tagList));
            return name();
        }
        AutoScalingGroup current = aws.autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name()))
                .autoScalingGroups().get(0);
        int desired = Math.max(minSize, Math.min(maxSize, current.desiredCapacity()));
        aws.autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(name()).launchTemplate(template)
                .minSize(minSize).maxSize(maxSize).desiredCapacity(desired).vpcZoneIdentifier(subnets));
        Set<String> attached = new HashSet<>(current.targetGroupARNs());
        List<String> detach = attached.stream().filter(arn -> !targetGroups.contains(arn)).toList();
        List<String> attach = targetGroups.stream().filter(arn -> !attached.contains(arn)).toList();
        if (!detach.isEmpty()) {
            aws.autoscaling.detachLoadBalancerTargetGroups(r -> r.autoScalingGroupName(name()).targetGroupARNs(detach));
        }
        if (!attach.isEmpty()) {
            aws.autoscaling.attachLoadBalancerTargetGroups(r -> r.autoScalingGroupName(name()).targetGroupARNs(attach));
        }
        return name();
    }
}
