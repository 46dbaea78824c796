package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/** The load balancer's TCP listener on the API port, forwarding to the control plane's target group. */
final class ListenerTask extends AwsTask {
    static final String TYPE = "Listener";
    private final int port;
    private final String balancerKey;
    private final String targetGroupKey;

    ListenerTask(AwsClients aws, ClusterTags tags, int port) {
        super(aws, tags, TYPE, tags.shortName("api") + ":" + port, List.of(
                key(LoadBalancerTask.TYPE, tags.shortName("api")), key(TargetGroupTask.TYPE, tags.shortName("api"))));
        this.port = port;
        this.balancerKey = dependsOn().get(0);
        this.targetGroupKey = dependsOn().get(1);
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<String> balancer = context.id(balancerKey);
        if (balancer.isEmpty()) {
            return Optional.empty();
        }
        Optional<Listener> listener = aws.elb.describeListeners(r -> r.loadBalancerArn(balancer.get())).listeners()
                .stream().filter(l -> l.port() == port).findFirst();
        return listener.map(l -> new Found(l.listenerArn(), new Fields()
                .put("protocol", l.protocolAsString())
                .put("port", l.port())
                .put("forwardTo", l.defaultActions().stream().map(Action::targetGroupArn).findFirst().orElse(""))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("protocol", "TCP").put("port", port).put("forwardTo", context.ref(targetGroupKey));
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(context.require(targetGroupKey))
                .build();
        if (live == null) {
            return aws.elb.createListener(r -> r.loadBalancerArn(context.require(balancerKey)).protocol(ProtocolEnum.TCP)
                    .port(port).defaultActions(forward)).listeners().get(0).listenerArn();
        }
        aws.elb.modifyListener(r -> r.listenerArn(live.id()).protocol(ProtocolEnum.TCP).port(port)
                .defaultActions(forward));
        return live.id();
    }
}
