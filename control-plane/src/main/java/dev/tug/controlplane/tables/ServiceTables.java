package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.list;
import static dev.tug.controlplane.tables.Fields.number;
import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Services and Endpoints. */
final class ServiceTables {

    static final KindTable SERVICE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Type", "type determines how the Service is exposed."),
            Columns.string("Cluster-IP", "clusterIP is the IP address of the service."),
            Columns.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the"
                    + " cluster will also accept traffic for this service."),
            Columns.string("Port(s)", "The list of ports that are exposed by this service."),
            Columns.AGE,
            Columns.wide("Selector", "Route service traffic to pods with label keys and values matching"
                    + " this selector.")),
            ServiceTables::serviceCells);

    static final KindTable ENDPOINTS = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Endpoints", "The set of all endpoints is the union of all subsets."),
            Columns.AGE),
            (endpoints, now) -> List.of(Fields.name(endpoints), endpointList(endpoints), Fields.age(endpoints, now)));

    static final KindTable ENDPOINT_SLICE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("AddressType", "The type of the addresses: IPv4, IPv6 or FQDN."),
            Columns.string("Ports", "The ports the endpoints serve."),
            Columns.string("Endpoints", "A sample of the addresses in the slice."),
            Columns.AGE),
            (slice, now) -> List.of(Fields.name(slice), Fields.orElse(text(slice, "addressType"), ""), slicePorts(slice),
                    sliceEndpoints(slice), Fields.age(slice, now)));

    /** Endpoints lists this many addresses, then "+ N more...". */
    private static final int SHOWN_ENDPOINTS = 3;

    private ServiceTables() {
    }

    private static List<Object> serviceCells(JsonNode service, Instant now) {
        JsonNode spec = service.path("spec");
        String ports = list(spec, "ports").stream().map(ServiceTables::port).collect(Collectors.joining(","));
        return List.of(
                Fields.name(service),
                serviceType(spec),
                Fields.orElse(clusterIp(spec), "<none>"),
                externalIp(service),
                Fields.orElse(ports, "<none>"),
                Fields.age(service, now),
                Selectors.labels(spec.path("selector")));
    }

    /** spec.type, which Kubernetes defaults to ClusterIP. */
    private static String serviceType(JsonNode spec) {
        return Fields.orElse(text(spec, "type"), "ClusterIP");
    }

    private static String clusterIp(JsonNode spec) {
        List<JsonNode> ips = list(spec, "clusterIPs");
        return ips.isEmpty() ? text(spec, "clusterIP") : ips.get(0).asText();
    }

    /** "80/TCP", or "80:30080/TCP" with a node port; the protocol defaults to TCP. */
    private static String port(JsonNode port) {
        String protocol = Fields.orElse(text(port, "protocol"), "TCP");
        long nodePort = number(port, "nodePort");
        return number(port, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol;
    }

    private static String externalIp(JsonNode service) {
        JsonNode spec = service.path("spec");
        List<String> externalIps = list(spec, "externalIPs").stream().map(JsonNode::asText).toList();
        switch (serviceType(spec)) {
            case "ClusterIP":
            case "NodePort":
                return externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
            case "LoadBalancer":
                List<String> all = new ArrayList<>(loadBalancerAddresses(service));
                all.addAll(externalIps);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            case "ExternalName":
                return text(spec, "externalName");
            default:
                return "<unknown>";
        }
    }

    /** The load balancer's ingress IPs (or hostnames when there is no IP), sorted and distinct. */
    private static TreeSet<String> loadBalancerAddresses(JsonNode service) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ingress : list(service, "status", "loadBalancer", "ingress")) {
            String address = Fields.orElse(text(ingress, "ip"), text(ingress, "hostname"));
            if (!address.isEmpty()) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    /** "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more..." over every subset and port; "<none>" when empty. */
    private static String endpointList(JsonNode endpoints) {
        List<JsonNode> subsets = list(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> shown = new ArrayList<>();
        int total = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = list(subset, "addresses");
            List<JsonNode> ports = list(subset, "ports");
            // A headless service may have no ports: then the bare IPs are listed.
            int rounds = ports.isEmpty() ? 1 : ports.size();
            for (int p = 0; p < rounds; p++) {
                total += addresses.size();
                for (JsonNode address : addresses) {
                    if (shown.size() == SHOWN_ENDPOINTS) {
                        break;
                    }
                    String ip = text(address, "ip");
                    shown.add(ports.isEmpty() ? ip : hostPort(ip, number(ports.get(p), "port")));
                }
            }
        }
        String list = String.join(",", shown);
        return total > SHOWN_ENDPOINTS ? list + " + " + (total - SHOWN_ENDPOINTS) + " more..." : list;
    }

    /** "80,443", or "<unset>" for a port without a number (all ports). */
    private static String slicePorts(JsonNode slice) {
        List<String> ports = list(slice, "ports").stream()
                .map(p -> p.has("port") ? Long.toString(number(p, "port")) : "<unset>").toList();
        return ports.isEmpty() ? "<unset>" : String.join(",", ports);
    }

    /** The first addresses, "+ N more..." after them, "<unset>" for none. */
    private static String sliceEndpoints(JsonNode slice) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode endpoint : list(slice, "endpoints")) {
            list(endpoint, "addresses").forEach(a -> addresses.add(a.asText()));
        }
        if (addresses.isEmpty()) {
            return "<unset>";
        }
        String shown = String.join(",", addresses.subList(0, Math.min(SHOWN_ENDPOINTS, addresses.size())));
        return addresses.size() > SHOWN_ENDPOINTS ? shown + " + " + (addresses.size() - SHOWN_ENDPOINTS) + " more..." : shown;
    }

    /** "ip:port", with the IPv6 address in brackets. */
    private static String hostPort(String ip, long port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
