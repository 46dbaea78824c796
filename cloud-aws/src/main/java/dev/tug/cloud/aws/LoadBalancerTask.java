package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/** The network load balancer in front of the control plane's API port. */
final class LoadBalancerTask extends AwsTask {
    static final String TYPE = "LoadBalancer";
    private final List<String> subnetKeys;

    LoadBalancerTask(AwsClients aws, ClusterTags tags, List<String> subnetKeys, List<String> after) {
        super(aws, tags, TYPE, tags.shortName("api"), java.util.stream.Stream.concat(subnetKeys.stream(), after.stream())
                .toList());
        this.subnetKeys = subnetKeys;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        LoadBalancer balancer;
        try {
            balancer = aws.elb.describeLoadBalancers(r -> r.names(name())).loadBalancers().get(0);
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> live = ElbTags.of(aws, balancer.loadBalancerArn());
        tags.requireOwned(live, "load balancer " + name());
        return Optional.of(new Found(balancer.loadBalancerArn(), new Fields()
                .put("type", balancer.typeAsString())
                .put("scheme", balancer.schemeAsString())
                .putSet("subnets", balancer.availabilityZones().stream().map(AvailabilityZone::subnetId).toList())
                .put("tags", liveTagsField(live))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("type", "network").put("scheme", "internet-facing")
                .putSet("subnets", subnetKeys.stream().map(context::ref).toList()).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        List<String> subnets = subnetKeys.stream().map(context::require).toList();
        if (live == null) {
            return aws.elb.createLoadBalancer(r -> r.name(name()).type(LoadBalancerTypeEnum.NETWORK)
                    .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnets(subnets).tags(ElbTags.list(tags, name())))
                    .loadBalancers().get(0).loadBalancerArn();
        }
        for (Change change : changes) {
            switch (change.field()) {
                case "subnets" -> aws.elb.setSubnets(r -> r.loadBalancerArn(live.id()).subnets(subnets));
                case "tags" -> aws.elb.addTags(r -> r.resourceArns(live.id()).tags(ElbTags.list(tags, name())));
                default -> throw immutable("load balancer " + name(), change);
            }
        }
        return live.id();
    }
}
