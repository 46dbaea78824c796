package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

/** The subnets' route table: a default route to the internet gateway, associated with every subnet. */
final class RouteTableTask extends AwsTask {
    static final String TYPE = "RouteTable";
    private static final String ANYWHERE = "0.0.0.0/0";
    private final String vpcKey;
    private final String gatewayKey;
    private final List<String> subnetKeys;

    RouteTableTask(AwsClients aws, ClusterTags tags, List<String> subnetKeys) {
        super(aws, tags, TYPE, tags.cluster(), dependencies(tags, subnetKeys));
        this.vpcKey = key(VpcTask.TYPE, tags.cluster());
        this.gatewayKey = key(InternetGatewayTask.TYPE, tags.cluster());
        this.subnetKeys = subnetKeys;
    }

    private static List<String> dependencies(ClusterTags tags, List<String> subnetKeys) {
        List<String> keys = new ArrayList<>(List.of(key(VpcTask.TYPE, tags.cluster()),
                key(InternetGatewayTask.TYPE, tags.cluster())));
        keys.addAll(subnetKeys);
        return keys;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<RouteTable> table = aws.ec2.describeRouteTables(r -> r.filters(tags.ec2Filters(name())))
                .routeTables().stream().findFirst();
        return table.map(t -> new Found(t.routeTableId(), new Fields()
                .put("vpc", t.vpcId())
                .put("defaultRoute", t.routes().stream().filter(r -> ANYWHERE.equals(r.destinationCidrBlock()))
                        .map(Route::gatewayId).findFirst().orElse(""))
                .putSet("subnets", subnetsOf(t))
                .put("tags", liveTagsField(ClusterTags.ec2Map(t.tags())))));
    }

    private static Set<String> subnetsOf(RouteTable table) {
        Set<String> subnets = new TreeSet<>();
        table.associations().stream().map(RouteTableAssociation::subnetId).filter(s -> s != null).forEach(subnets::add);
        return subnets;
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("vpc", context.ref(vpcKey)).put("defaultRoute", context.ref(gatewayKey))
                .putSet("subnets", subnetKeys.stream().map(context::ref).toList()).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String vpc = context.require(vpcKey);
        String gateway = context.require(gatewayKey);
        if (live != null && changes.stream().anyMatch(c -> c.field().equals("vpc"))) {
            throw immutable("route table " + name(), changes.stream().filter(c -> c.field().equals("vpc"))
                    .findFirst().orElseThrow());
        }
        String id = live != null ? live.id() : aws.ec2.createRouteTable(r -> r.vpcId(vpc)
                .tagSpecifications(tags.ec2Specification(ResourceType.ROUTE_TABLE, name()))).routeTable().routeTableId();
        RouteTable table = aws.ec2.describeRouteTables(r -> r.routeTableIds(id)).routeTables().get(0);
        Optional<Route> route = table.routes().stream().filter(r -> ANYWHERE.equals(r.destinationCidrBlock())).findFirst();
        if (route.isEmpty()) {
            aws.ec2.createRoute(r -> r.routeTableId(id).destinationCidrBlock(ANYWHERE).gatewayId(gateway));
        } else if (!gateway.equals(route.get().gatewayId())) {
            aws.ec2.replaceRoute(r -> r.routeTableId(id).destinationCidrBlock(ANYWHERE).gatewayId(gateway));
        }
        Set<String> wanted = new TreeSet<>(subnetKeys.stream().map(context::require).toList());
        for (RouteTableAssociation association : table.associations()) {
            if (association.subnetId() != null && !wanted.remove(association.subnetId())) {
                aws.ec2.disassociateRouteTable(r -> r.associationId(association.routeTableAssociationId()));
            }
        }
        for (String subnet : wanted) {
            aws.ec2.associateRouteTable(r -> r.routeTableId(id).subnetId(subnet));
        }
        if (live != null && changes.stream().anyMatch(c -> c.field().equals("tags"))) {
            retag(id);
        }
        return id;
    }
}
