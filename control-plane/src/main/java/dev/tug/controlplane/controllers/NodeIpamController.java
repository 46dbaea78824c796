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
import io.fabric8.kubernetes.api.model.Node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Gives each Node its pod range ({@code spec.podCIDR}): the first block of the cluster range
 * that no other node holds. Agents take their pods' addresses from it.
 */
final class NodeIpamController extends Controller {

    private final ResourceType nodes = ApiResources.of(Node.class);
    private final long base;
    private final int clusterPrefix;
    private final int nodePrefix;

    NodeIpamController(ResourceService service, ControllerSettings settings) {
        super(service, "node-ipam-controller");
        String[] parts = settings.clusterCidr().split("/");
        this.clusterPrefix = Integer.parseInt(parts[1]);
        this.nodePrefix = settings.nodeCidrMaskSize();
        if (nodePrefix < clusterPrefix || nodePrefix > 30) {
            throw new IllegalArgumentException("the node pod range /" + nodePrefix + " must lie within the cluster range "
                    + settings.clusterCidr() + " and leave room for pods");
        }
        this.base = toLong(parts[0]) & mask(clusterPrefix);
        watch(nodes, Controller::itself);
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode node = service.find(nodes, null, name).orElse(null);
        if (node == null || Json.text(node, "spec", "podCIDR") != null) {
            return;
        }
        Set<String> used = new HashSet<>();
        for (ObjectNode other : service.list(nodes, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
            String cidr = Json.text(other, "spec", "podCIDR");
            if (cidr != null) {
                used.add(cidr);
            }
        }
        long blocks = 1L << (nodePrefix - clusterPrefix);
        long size = 1L << (32 - nodePrefix);
        for (long i = 0; i < blocks; i++) {
            String cidr = toAddress(base + i * size) + "/" + nodePrefix;
            if (!used.contains(cidr)) {
                service.update(nodes, null, ObjectMetadata.name(node), null, RequestOptions.internal(), current -> {
                    if (Json.text(current, "spec", "podCIDR") == null) {
                        current.with("spec").put("podCIDR", cidr);
                        current.with("spec").putArray("podCIDRs").add(cidr);
                    }
                    return current;
                });
                return;
            }
        }
        throw new IllegalStateException("no pod range left in the cluster range for node " + name);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long toLong(String address) {
        try {
            long value = 0;
            for (byte b : InetAddress.getByName(address).getAddress()) {
                value = (value << 8) | (b & 0xFF);
            }
            return value;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + address, e);
        }
    }

    private static String toAddress(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
