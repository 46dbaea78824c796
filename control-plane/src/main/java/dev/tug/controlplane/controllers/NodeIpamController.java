package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Gives each Node its pod range ({@code spec.podCIDR} and {@code spec.podCIDRs}), as Kubernetes'
 * range allocator does: the first block of the cluster range, of the node mask size, that
 * overlaps no other node's range. Agents take their pods' addresses from it. The store is the
 * only record of what is taken, so a restart or a deleted node needs no bookkeeping; one worker
 * thread means two nodes never get the same block.
 */
final class NodeIpamController extends Controller {

    /** When the cluster range is full, look again now and then: a node may have been deleted. */
    private static final Duration FULL_RETRY = Duration.ofSeconds(30);

    private final ResourceType nodes = ApiResources.of(Node.class);
    private final IPAddress clusterRange;
    private final int maskSize;
    private final EventRecorder events;

    NodeIpamController(ResourceService service, ControllerSettings settings, EventRecorder events) {
        super(service, "node-ipam-controller");
        this.clusterRange = settings.clusterRange();
        this.maskSize = settings.nodeCidrMaskSize();
        this.events = events;
        watch(nodes, Controller::itself);
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode node = service.find(nodes, null, name).orElse(null);
        if (node == null || Json.text(node, "spec", "podCIDR") != null || ObjectMetadata.deleting(node)) {
            return;
        }
        IPAddress free = firstFree(usedRanges());
        if (free == null) {
            events.normal(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
            enqueueAfter(null, name, FULL_RETRY);
            return;
        }
        String cidr = free.toCanonicalString();
        service.update(nodes, null, name, null, RequestOptions.internal(), current -> {
            if (Json.text(current, "spec", "podCIDR") == null) {
                current.with("spec").put("podCIDR", cidr);
                current.with("spec").putArray("podCIDRs").add(cidr);
            }
            return current;
        });
    }

    /** Every node's pod ranges; a range that does not parse takes nothing. */
    private List<IPAddress> usedRanges() {
        List<IPAddress> used = new ArrayList<>();
        for (ObjectNode other : service.list(nodes, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
            List<String> ranges = new ArrayList<>();
            other.path("spec").path("podCIDRs").forEach(r -> ranges.add(r.asText()));
            ranges.add(Json.text(other, "spec", "podCIDR"));
            for (String range : ranges) {
                IPAddress address = range == null ? null : new IPAddressString(range).getAddress();
                if (address != null) {
                    used.add(address.isPrefixed() ? address.toPrefixBlock() : address);
                }
            }
        }
        return used;
    }

    /** The first node-sized block of the cluster range that overlaps none of {@code used}, or null. */
    IPAddress firstFree(List<IPAddress> used) {
        Iterator<? extends IPAddress> blocks = clusterRange.setPrefixLength(maskSize, false).prefixBlockIterator();
        while (blocks.hasNext()) {
            IPAddress block = blocks.next();
            if (used.stream().noneMatch(u -> u.contains(block) || block.contains(u))) {
                return block;
            }
        }
        return null;
    }
}
