package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** One subnet per zone; public, so machines get addresses the operator can reach over SSH. */
final class SubnetTask extends AwsTask {
    static final String TYPE = "Subnet";
    private final String cidr;
    private final String zone;

    SubnetTask(AwsClients aws, ClusterTags tags, String name, String cidr, String zone) {
        super(aws, tags, TYPE, name, List.of(key(VpcTask.TYPE, tags.cluster())));
        this.cidr = cidr;
        this.zone = zone;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<Subnet> subnet = aws.ec2.describeSubnets(r -> r.filters(tags.ec2Filters(name()))).subnets().stream()
                .findFirst();
        return subnet.map(s -> new Found(s.subnetId(), new Fields()
                .put("vpc", s.vpcId())
                .put("cidr", s.cidrBlock())
                .put("zone", s.availabilityZone())
                .put("publicIp", Boolean.TRUE.equals(s.mapPublicIpOnLaunch()))
                .put("tags", liveTagsField(ClusterTags.ec2Map(s.tags())))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("vpc", context.ref(dependsOn().get(0))).put("cidr", cidr).put("zone", zone)
                .put("publicIp", true).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String id;
        boolean publicIp = true;
        if (live == null) {
            String vpc = context.require(dependsOn().get(0));
            id = aws.ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)
                    .tagSpecifications(tags.ec2Specification(ResourceType.SUBNET, name()))).subnet().subnetId();
        } else {
            id = live.id();
            publicIp = false;
            for (Change change : changes) {
                switch (change.field()) {
                    case "publicIp" -> publicIp = true;
                    case "tags" -> retag(id);
                    default -> throw immutable("subnet " + name(), change);
                }
            }
        }
        if (publicIp) {
            aws.ec2.modifySubnetAttribute(r -> r.subnetId(id)
                    .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(true).build()));
        }
        return id;
    }
}
