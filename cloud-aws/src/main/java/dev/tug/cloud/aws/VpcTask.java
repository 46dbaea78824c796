package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/** The cluster's VPC, with DNS names for its machines. */
final class VpcTask extends AwsTask {
    static final String TYPE = "VPC";
    private final String cidr;

    VpcTask(AwsClients aws, ClusterTags tags, String cidr) {
        super(aws, tags, TYPE, tags.cluster(), List.of());
        this.cidr = cidr;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<Vpc> vpc = aws.ec2.describeVpcs(r -> r.filters(tags.ec2Filters(name()))).vpcs().stream().findFirst();
        return vpc.map(v -> new Found(v.vpcId(), new Fields()
                .put("cidr", v.cidrBlock())
                .put("dnsSupport", attribute(v.vpcId(), VpcAttributeName.ENABLE_DNS_SUPPORT))
                .put("dnsHostnames", attribute(v.vpcId(), VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .put("tags", liveTagsField(ClusterTags.ec2Map(v.tags())))));
    }

    private boolean attribute(String vpcId, VpcAttributeName attribute) {
        var response = aws.ec2.describeVpcAttribute(r -> r.vpcId(vpcId).attribute(attribute));
        AttributeBooleanValue value = attribute == VpcAttributeName.ENABLE_DNS_SUPPORT
                ? response.enableDnsSupport() : response.enableDnsHostnames();
        return value != null && Boolean.TRUE.equals(value.value());
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("cidr", cidr).put("dnsSupport", true).put("dnsHostnames", true).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String id;
        List<String> fields;
        if (live == null) {
            id = aws.ec2.createVpc(r -> r.cidrBlock(cidr)
                    .tagSpecifications(tags.ec2Specification(ResourceType.VPC, name()))).vpc().vpcId();
            fields = List.of("dnsSupport", "dnsHostnames");
        } else {
            id = live.id();
            fields = changes.stream().map(Change::field).toList();
            for (Change change : changes) {
                if (change.field().equals("cidr")) {
                    throw immutable("VPC " + name(), change);
                }
            }
        }
        AttributeBooleanValue on = AttributeBooleanValue.builder().value(true).build();
        // AWS takes one attribute per call
        if (fields.contains("dnsSupport")) {
            aws.ec2.modifyVpcAttribute(r -> r.vpcId(id).enableDnsSupport(on));
        }
        if (fields.contains("dnsHostnames")) {
            aws.ec2.modifyVpcAttribute(r -> r.vpcId(id).enableDnsHostnames(on));
        }
        if (fields.contains("tags")) {
            retag(id);
        }
        return id;
    }
}
