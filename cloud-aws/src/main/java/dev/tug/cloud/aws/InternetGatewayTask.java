package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** The VPC's way out to the internet (and in, for SSH and the API load balancer). */
final class InternetGatewayTask extends AwsTask {
    static final String TYPE = "InternetGateway";

    InternetGatewayTask(AwsClients aws, ClusterTags tags) {
        super(aws, tags, TYPE, tags.cluster(), List.of(key(VpcTask.TYPE, tags.cluster())));
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<InternetGateway> gateway = aws.ec2.describeInternetGateways(r -> r.filters(tags.ec2Filters(name())))
                .internetGateways().stream().findFirst();
        return gateway.map(g -> new Found(g.internetGatewayId(), new Fields()
                .put("vpc", g.attachments().stream().map(InternetGatewayAttachment::vpcId).findFirst().orElse(""))
                .put("tags", liveTagsField(ClusterTags.ec2Map(g.tags())))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("vpc", context.ref(dependsOn().get(0))).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String vpc = context.require(dependsOn().get(0));
        String id = live != null ? live.id() : aws.ec2.createInternetGateway(r -> r.tagSpecifications(
                tags.ec2Specification(ResourceType.INTERNET_GATEWAY, name()))).internetGateway().internetGatewayId();
        String attached = live == null ? "" : live.fields().get("vpc");
        if (!attached.equals(vpc)) {
            if (!attached.isEmpty()) {
                aws.ec2.detachInternetGateway(r -> r.internetGatewayId(id).vpcId(attached));
            }
            aws.ec2.attachInternetGateway(r -> r.internetGatewayId(id).vpcId(vpc));
        }
        if (live != null && changes.stream().anyMatch(c -> c.field().equals("tags"))) {
            retag(id);
        }
        return id;
    }
}
