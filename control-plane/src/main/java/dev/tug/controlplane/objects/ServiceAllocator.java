package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.FieldError;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.Service;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives Services their cluster IPs and node ports, or checks the ones asked for. The stored
 * Services are the record of what is taken, so nothing can leak when a write fails or the server
 * dies; writers of Services hold this object's lock from allocation until their write is stored.
 */
final class ServiceAllocator {

    static final ResourceType SERVICES = ApiResources.of(Service.class);

    private final ServiceNetwork network;
    private final ResourceService objects;

    ServiceAllocator(ServiceNetwork network, ResourceService objects) {
        this.network = network;
        this.objects = objects;
    }

    ServiceNetwork network() {
        return network;
    }

    /**
     * Fills in what the admitted Service still needs and checks what it asked for; {@code old} is
     * the stored Service on an update, whose own addresses it keeps.
     */
    void allocate(ObjectNode service, ObjectNode old) {
        ObjectNode spec = (ObjectNode) service.path("spec");
        Taken taken = new Taken(key(service));
        List<FieldError> errors = new ArrayList<>();
        if (needsClusterIp(spec)) {
            clusterIp(spec, old == null ? Set.of() : clusterIps(old.path("spec")), taken, errors);
        }
        if (needsNodePorts(spec)) {
            nodePorts(spec, old == null ? Set.of() : nodePorts(old.path("spec")), taken, errors);
        }
        if (!errors.isEmpty()) {
            throw Admission.invalid(SERVICES, ObjectMetadata.name(service), errors);
        }
    }

    /**
     * The cluster IPs and node ports the other Services hold, read from the store only when a
     * value has to be chosen or checked: an update that keeps its addresses reads nothing.
     */
    private final class Taken {
        private final String self;
        private Set<String> ips;
        private Set<Integer> ports;

        Taken(String self) {
            this.self = self;
        }

        Set<String> ips() {
            load();
            return ips;
        }

        Set<Integer> ports() {
            load();
            return ports;
        }

        private void load() {
            if (ips != null) {
                return;
            }
            ips = new HashSet<>();
            ports = new HashSet<>();
            for (ObjectNode other : objects.list(SERVICES, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
                if (!key(other).equals(self)) {
                    ips.addAll(clusterIps(other.path("spec")));
                    ports.addAll(nodePorts(other.path("spec")));
                }
            }
        }
    }

    private void clusterIp(ObjectNode spec, Set<String> own, Taken taken, List<FieldError> errors) {
        String requested = Json.text(spec, "clusterIP");
        if (requested == null || requested.isEmpty()) {
            String ip = freeIp(taken.ips());
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
            return;
        }
        if (own.contains(requested)) {
            return;
        }
        String problem = null;
        IPAddress address = new IPAddressString(requested).getAddress();
        IPAddress range = network.range();
        if (address == null || !range.contains(address) || address.equals(range.getLower().withoutPrefixLength())
                || address.equals(range.getUpper().withoutPrefixLength())) {
            problem = "the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is "
                    + network.serviceCidr();
        } else if (taken.ips().contains(address.toNormalizedString())) {
            problem = "provided IP is already allocated";
        }
        if (problem != null) {
            errors.add(FieldError.invalid("spec.clusterIPs", List.of(requested), "failed to allocate IP " + requested + ": " + problem));
        }
    }

    /**
     * A random free address above the range's lowest band, which stays for addresses chosen by
     * hand (the {@code kubernetes} and DNS Services among them), then the low band if need be.
     */
    private String freeIp(Set<String> taken) {
        IPAddress range = network.range();
        IPAddress first = range.getLower().withoutPrefixLength();
        long size = range.getCount().min(BigInteger.valueOf(1L << 32)).longValue();
        // hosts are offsets 1 .. size-2; small ranges have no low band
        long band = size < 256 ? 0 : Math.min(Math.max(16, size / 16), 256);
        long upper = size - 2 - band;
        long start = ThreadLocalRandom.current().nextLong(upper);
        for (long i = 0; i < size - 2; i++) {
            long offset = i < upper ? band + 1 + (start + i) % upper : 1 + (i - upper);
            String candidate = first.increment(offset).toNormalizedString();
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        throw ApiException.internal("failed to allocate a serviceIP: range is full");
    }

    private void nodePorts(ObjectNode spec, Set<Integer> own, Taken taken, List<FieldError> errors) {
        JsonNode ports = spec.path("ports");
        // this Service's own node ports, kept or asked for: new ones must not repeat them either
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            int requested = ports.get(i).path("nodePort").asInt(0);
            if (requested == 0 || !chosen.add(requested) || own.contains(requested)) {
                continue;
            }
            String path = "spec.ports[" + i + "].nodePort";
            if (requested < network.nodePortMin() || requested > network.nodePortMax()) {
                errors.add(FieldError.invalid(path, requested, "provided port is not in the valid range. The range of valid ports is "
                        + network.nodePortRange()));
            } else if (taken.ports().contains(requested)) {
                errors.add(FieldError.invalid(path, requested, "provided port is already allocated"));
            }
        }
        for (JsonNode port : ports) {
            if (port.path("nodePort").asInt(0) == 0) {
                int free = freePort(taken.ports(), chosen);
                chosen.add(free);
                ((ObjectNode) port).put("nodePort", free);
            }
        }
    }

    private int freePort(Set<Integer> taken, Set<Integer> chosen) {
        int size = network.nodePortMax() - network.nodePortMin() + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int candidate = network.nodePortMin() + (start + i) % size;
            if (!taken.contains(candidate) && !chosen.contains(candidate)) {
                return candidate;
            }
        }
        throw ApiException.internal("failed to allocate a nodePort: range is full");
    }

    /**
     * An update that leaves out what the server allocated keeps it, as in Kubernetes, and a type
     * change drops what the new type may not have if the client merely carried it along.
     * Runs on the raw update, before defaults and validation.
     */
    static void carryOver(ObjectNode next, ObjectNode current) {
        if (!(next.path("spec") instanceof ObjectNode spec)) {
            return;
        }
        JsonNode old = current.path("spec");
        if (needsClusterIp(old) && needsClusterIp(spec)) {
            if (Json.text(spec, "clusterIP") == null || Json.text(spec, "clusterIP").isEmpty()) {
                copy(old, spec, "clusterIP");
            }
            if (spec.path("clusterIPs").isEmpty()) {
                copy(old, spec, "clusterIPs");
            }
        } else if (needsClusterIp(old) && "ExternalName".equals(Json.text(spec, "type"))
                && old.path("clusterIP").equals(spec.path("clusterIP"))) {
            spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
        }
        String type = Json.text(spec, "type");
        boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type) || !spec.path("externalIPs").isEmpty();
        if (!external && old.path("externalTrafficPolicy").equals(spec.path("externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
        if (!"LoadBalancer".equals(type) && old.path("allocateLoadBalancerNodePorts").equals(spec.path("allocateLoadBalancerNodePorts"))) {
            spec.remove("allocateLoadBalancerNodePorts");
        }
        boolean oldNeeds = needsNodePorts(old);
        boolean newNeeds = needsNodePorts(spec);
        for (JsonNode port : spec.path("ports")) {
            JsonNode match = samePort(old.path("ports"), port);
            if (match == null || !(port instanceof ObjectNode writable)) {
                continue;
            }
            int nodePort = port.path("nodePort").asInt(0);
            if (oldNeeds && newNeeds && nodePort == 0 && match.path("nodePort").asInt(0) != 0) {
                writable.set("nodePort", match.get("nodePort"));
            } else if (oldNeeds && !newNeeds && nodePort != 0 && nodePort == match.path("nodePort").asInt(0)) {
                writable.remove("nodePort");
            }
        }
    }

    /** The old port a new one continues: the same name, or for unnamed ports the same number and protocol. */
    private static JsonNode samePort(JsonNode oldPorts, JsonNode port) {
        String name = Json.text(port, "name");
        for (JsonNode old : oldPorts) {
            boolean named = name != null && !name.isEmpty();
            if (named ? name.equals(Json.text(old, "name"))
                    : old.path("port").equals(port.path("port"))
                            && protocol(old).equals(protocol(port))) {
                return old;
            }
        }
        return null;
    }

    private static String protocol(JsonNode port) {
        String protocol = Json.text(port, "protocol");
        return protocol == null ? "TCP" : protocol;
    }

    /** Every type but ExternalName has a virtual IP unless it is headless; a missing type means ClusterIP. */
    static boolean needsClusterIp(JsonNode spec) {
        return !"ExternalName".equals(Json.text(spec, "type")) && !"None".equals(Json.text(spec, "clusterIP"));
    }

    static boolean needsNodePorts(JsonNode spec) {
        String type = Json.text(spec, "type");
        return "NodePort".equals(type)
                || "LoadBalancer".equals(type) && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
    }

    private static Set<String> clusterIps(JsonNode spec) {
        Set<String> ips = new HashSet<>();
        for (JsonNode ip : spec.path("clusterIPs")) {
            ips.add(ip.asText());
        }
        String ip = Json.text(spec, "clusterIP");
        if (ip != null && !ip.isEmpty() && !ip.equals("None")) {
            ips.add(ip);
        }
        ips.remove("None");
        return ips;
    }

    private static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode port : spec.path("ports")) {
            if (port.path("nodePort").asInt(0) != 0) {
                ports.add(port.path("nodePort").asInt());
            }
        }
        return ports;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        }
    }

    private static String key(ObjectNode service) {
        return Json.text(service, "metadata", "namespace") + "/" + ObjectMetadata.name(service);
    }
}
