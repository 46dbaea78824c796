package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The inbound rules of one security group. A task of its own because the control plane's and the nodes' groups
 * refer to each other: both groups must exist first. Rules the spec no longer has are revoked.
 */
final class SecurityGroupRulesTask extends AwsTask {
    static final String TYPE = "SecurityGroupRules";
    private final String groupKey;
    /** The rules, given the ids (or markers) of the groups they refer to. */
    private final Function<TaskContext, List<IngressRule>> rules;

    SecurityGroupRulesTask(AwsClients aws, ClusterTags tags, String group, List<String> otherGroups,
                           Function<TaskContext, List<IngressRule>> rules) {
        super(aws, tags, TYPE, group, dependencies(group, otherGroups));
        this.groupKey = key(SecurityGroupTask.TYPE, group);
        this.rules = rules;
    }

    private static List<String> dependencies(String group, List<String> otherGroups) {
        List<String> keys = new ArrayList<>(List.of(key(SecurityGroupTask.TYPE, group)));
        otherGroups.forEach(other -> keys.add(key(SecurityGroupTask.TYPE, other)));
        return keys;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<String> group = context.id(groupKey);
        if (group.isEmpty()) {
            return Optional.empty();
        }
        var found = aws.ec2.describeSecurityGroups(r -> r.groupIds(group.get())).securityGroups();
        List<IngressRule> live = new ArrayList<>();
        found.forEach(g -> g.ipPermissions().forEach(p -> live.addAll(IngressRule.of(p))));
        // a group without rules is one whose rules were never made: the report shows them as created
        return live.isEmpty() ? Optional.empty() : Optional.of(new Found(group.get(), new Fields().putSet("ingress", live)));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().putSet("ingress", rules.apply(context));
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String group = context.require(groupKey);
        Set<IngressRule> wanted = new LinkedHashSet<>(rules.apply(context));
        Set<IngressRule> existing = new LinkedHashSet<>();
        if (live != null && !live.fields().get("ingress").isEmpty()) {
            Arrays.stream(live.fields().get("ingress").split(", ")).map(IngressRule::parse).forEach(existing::add);
        }
        List<IngressRule> extra = existing.stream().filter(r -> !wanted.contains(r)).toList();
        List<IngressRule> missing = wanted.stream().filter(r -> !existing.contains(r)).toList();
        if (!extra.isEmpty()) {
            aws.ec2.revokeSecurityGroupIngress(r -> r.groupId(group)
                    .ipPermissions(extra.stream().map(IngressRule::permission).toList()));
        }
        if (!missing.isEmpty()) {
            aws.ec2.authorizeSecurityGroupIngress(r -> r.groupId(group)
                    .ipPermissions(missing.stream().map(IngressRule::permission).toList()));
        }
        return group;
    }
}
