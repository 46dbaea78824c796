package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** A security group of one role (control plane or nodes); its rules are {@link SecurityGroupRulesTask}'s. */
final class SecurityGroupTask extends AwsTask {
    static final String TYPE = "SecurityGroup";
    private final String description;

    SecurityGroupTask(AwsClients aws, ClusterTags tags, String name, String description) {
        super(aws, tags, TYPE, name, List.of(key(VpcTask.TYPE, tags.cluster())));
        this.description = description;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<SecurityGroup> group = aws.ec2.describeSecurityGroups(r -> r.filters(tags.ec2Filters(name())))
                .securityGroups().stream().findFirst();
        return group.map(g -> new Found(g.groupId(), new Fields()
                .put("vpc", g.vpcId())
                .put("description", g.description())
                .put("tags", liveTagsField(ClusterTags.ec2Map(g.tags())))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("vpc", context.ref(dependsOn().get(0))).put("description", description)
                .put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        if (live == null) {
            String vpc = context.require(dependsOn().get(0));
            return aws.ec2.createSecurityGroup(r -> r.groupName(name()).description(description).vpcId(vpc)
                    .tagSpecifications(tags.ec2Specification(ResourceType.SECURITY_GROUP, name()))).groupId();
        }
        for (Change change : changes) {
            if (!change.field().equals("tags")) {
                throw immutable("security group " + name(), change);
            }
            retag(live.id());
        }
        return live.id();
    }
}
