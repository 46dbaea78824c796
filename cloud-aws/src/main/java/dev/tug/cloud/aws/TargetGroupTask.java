package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The control-plane machines behind the API load balancer, checked by a TCP health check on the API port. */
final class TargetGroupTask extends AwsTask {
    static final String TYPE = "TargetGroup";
    private final int port;

    TargetGroupTask(AwsClients aws, ClusterTags tags, int port) {
        super(aws, tags, TYPE, tags.shortName("api"), List.of(key(VpcTask.TYPE, tags.cluster())));
        this.port = port;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        TargetGroup group;
        try {
            group = aws.elb.describeTargetGroups(r -> r.names(name())).targetGroups().get(0);
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> live = ElbTags.of(aws, group.targetGroupArn());
        tags.requireOwned(live, "target group " + name());
        return Optional.of(new Found(group.targetGroupArn(), new Fields()
                .put("vpc", group.vpcId())
                .put("protocol", group.protocolAsString())
                .put("port", group.port())
                .put("healthCheck", group.healthCheckProtocolAsString())
                .put("tags", ClusterTags.field(live))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("vpc", context.ref(dependsOn().get(0))).put("protocol", "TCP").put("port", port)
                .put("healthCheck", "TCP").put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        if (live == null) {
            String vpc = context.require(dependsOn().get(0));
            return aws.elb.createTargetGroup(r -> r.name(name()).protocol(ProtocolEnum.TCP).port(port).vpcId(vpc)
                    .targetType(TargetTypeEnum.INSTANCE).healthCheckProtocol(ProtocolEnum.TCP)
                    .tags(ElbTags.list(tags, name()))).targetGroups().get(0).targetGroupArn();
        }
        for (Change change : changes) {
            switch (change.field()) {
                case "healthCheck" -> aws.elb.modifyTargetGroup(r -> r.targetGroupArn(live.id())
                        .healthCheckProtocol(ProtocolEnum.TCP));
                case "tags" -> aws.elb.addTags(r -> r.resourceArns(live.id()).tags(ElbTags.list(tags, name())));
                default -> throw immutable("target group " + name(), change);
            }
        }
        return live.id();
    }
}
