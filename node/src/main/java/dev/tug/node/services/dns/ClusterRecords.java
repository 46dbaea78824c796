package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The records that exist under the cluster domain, computed on demand from the {@link ServiceCatalog}
 * (the catalog is small and always current, so there is no zone to keep in step with it).
 */
final class ClusterRecords {

    static final long TTL = 5;

    /** What one name holds: its records, plus the address records that go with any SRV among them. */
    record NameRecords(List<Record> records, List<Record> additional) {
        static NameRecords empty() {
            return new NameRecords(List.of(), List.of());
        }
    }

    private final ServiceCatalog catalog;
    private final Name zone;
    private final SOARecord soa;

    ClusterRecords(ServiceCatalog catalog, Name zone) {
        this.catalog = catalog;
        this.zone = zone;
        this.soa = new SOARecord(zone, DClass.IN, TTL, child("ns.dns"), child("hostmaster"),
                // Serial in seconds: the zone changes whenever the catalog does, which is all the time.
                System.currentTimeMillis() / 1000, 7200, 1800, 86400, TTL);
    }

    Name zone() {
        return zone;
    }

    SOARecord soa() {
        return soa;
    }

    /** The records at {@code name} (which lies in the zone), or empty when the name does not exist. */
    Optional<NameRecords> lookup(Name name) {
        List<String> labels = labelsBelowZone(name);
        if (labels.isEmpty()) {
            return Optional.of(new NameRecords(List.of(soa), List.of()));
        }
        return switch (labels.get(0)) {
            case "svc" -> lookupService(name, labels);
            case "pod" -> lookupPod(name, labels);
            default -> Optional.empty();
        };
    }

    // <svc>.<ns>.svc, <endpoint>.<svc>.<ns>.svc, _<port>._<proto>.<svc>.<ns>.svc
    private Optional<NameRecords> lookupService(Name name, List<String> labels) {
        if (labels.size() == 1) {
            return Optional.of(NameRecords.empty());
        }
        String namespace = labels.get(1);
        if (labels.size() == 2) {
            return catalog.servicesIn(namespace).isEmpty() ? Optional.empty() : Optional.of(NameRecords.empty());
        }
        Optional<Service> found = catalog.service(namespace, labels.get(2));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Service service = found.get();
        return switch (labels.size()) {
            case 3 -> Optional.of(new NameRecords(serviceRecords(name, service), List.of()));
            case 4 -> labels.get(3).startsWith("_")
                    ? protocolNode(service, labels.get(3))
                    : endpointRecords(name, service, labels.get(3));
            case 5 -> srvRecords(name, service, labels.get(4), labels.get(3));
            default -> Optional.empty();
        };
    }

    private List<Record> serviceRecords(Name owner, Service service) {
        ServiceSpec spec = service.getSpec();
        if (isExternalName(service)) {
            return externalTarget(spec).<List<Record>>map(target -> List.of(new CNAMERecord(owner, DClass.IN, TTL, target)))
                    .orElse(List.of());
        }
        Set<Record> records = new LinkedHashSet<>();
        if (isHeadless(service)) {
            for (EndpointAddress address : servingAddresses(service)) {
                addressRecord(owner, address.getIp()).ifPresent(records::add);
            }
        } else {
            for (String ip : clusterIPs(spec)) {
                addressRecord(owner, ip).ifPresent(records::add);
            }
        }
        return List.copyOf(records);
    }

    /** {@code _tcp.<svc>...} exists when some SRV name lies below it. */
    private Optional<NameRecords> protocolNode(Service service, String protocolLabel) {
        String protocol = protocolLabel.substring(1);
        boolean any = isHeadless(service)
                ? endpoints(service).stream().flatMap(e -> subsets(e).stream())
                        .flatMap(s -> ports(s).stream()).anyMatch(p -> p.getName() != null && protocolOf(p.getProtocol()).equals(protocol))
                : ports(service).stream().anyMatch(p -> p.getName() != null && protocolOf(p.getProtocol()).equals(protocol));
        return any ? Optional.of(NameRecords.empty()) : Optional.empty();
    }

    /** A headless service's endpoint by hostname or by its address written with dashes. */
    private Optional<NameRecords> endpointRecords(Name owner, Service service, String label) {
        if (!isHeadless(service)) {
            return Optional.empty();
        }
        Optional<InetAddress> byAddress = DashedAddress.parse(label);
        Set<Record> records = new LinkedHashSet<>();
        for (EndpointAddress address : servingAddresses(service)) {
            boolean matches = byAddress.isPresent()
                    ? byAddress.equals(literal(address.getIp()))
                    : label.equalsIgnoreCase(address.getHostname());
            if (matches) {
                addressRecord(owner, address.getIp()).ifPresent(records::add);
            }
        }
        return records.isEmpty() ? Optional.empty() : Optional.of(new NameRecords(List.copyOf(records), List.of()));
    }

    private Optional<NameRecords> srvRecords(Name owner, Service service, String portLabel, String protocolLabel) {
        if (!portLabel.startsWith("_") || !protocolLabel.startsWith("_")) {
            return Optional.empty();
        }
        String portName = portLabel.substring(1);
        String protocol = protocolLabel.substring(1);
        Name serviceName = serviceName(service);
        Set<Record> answers = new LinkedHashSet<>();
        Set<Record> additional = new LinkedHashSet<>();
        if (isHeadless(service)) {
            // One target per serving endpoint, at the port that endpoint actually listens on.
            for (Endpoints object : endpoints(service)) {
                for (EndpointSubset subset : subsets(object)) {
                    for (EndpointPort port : ports(subset)) {
                        if (!portName.equalsIgnoreCase(port.getName()) || !protocol.equals(protocolOf(port.getProtocol()))) {
                            continue;
                        }
                        for (EndpointAddress address : servingAddresses(service, subset)) {
                            Name target = endpointName(address, serviceName);
                            answers.add(new SRVRecord(owner, DClass.IN, TTL, 0, 100, port.getPort(), target));
                            addressRecord(target, address.getIp()).ifPresent(additional::add);
                        }
                    }
                }
            }
        } else {
            for (ServicePort port : ports(service)) {
                if (!portName.equalsIgnoreCase(port.getName()) || !protocol.equals(protocolOf(port.getProtocol()))) {
                    continue;
                }
                Optional<Name> target = isExternalName(service) ? externalTarget(service.getSpec()) : Optional.of(serviceName);
                target.ifPresent(t -> answers.add(new SRVRecord(owner, DClass.IN, TTL, 0, 100, port.getPort(), t)));
                if (!isExternalName(service)) {
                    serviceRecords(serviceName, service).forEach(additional::add);
                }
            }
        }
        return answers.isEmpty() ? Optional.empty() : Optional.of(new NameRecords(List.copyOf(answers), List.copyOf(additional)));
    }

    // <a-b-c-d>.<ns>.pod: any well-formed address answers, whether or not a pod has it ("pods insecure").
    private Optional<NameRecords> lookupPod(Name name, List<String> labels) {
        if (labels.size() <= 2) {
            return Optional.of(NameRecords.empty());
        }
        if (labels.size() > 3) {
            return Optional.empty();
        }
        return DashedAddress.parse(labels.get(2))
                .map(address -> new NameRecords(List.of(addressRecord(name, address)), List.of()));
    }

    private List<EndpointAddress> servingAddresses(Service service) {
        List<EndpointAddress> all = new ArrayList<>();
        for (Endpoints object : endpoints(service)) {
            for (EndpointSubset subset : subsets(object)) {
                all.addAll(servingAddresses(service, subset));
            }
        }
        return all;
    }

    /** Ready addresses only, unless the service asks for not-ready ones to be published too. */
    private static List<EndpointAddress> servingAddresses(Service service, EndpointSubset subset) {
        List<EndpointAddress> serving = new ArrayList<>(nonNull(subset.getAddresses()));
        if (Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())) {
            serving.addAll(nonNull(subset.getNotReadyAddresses()));
        }
        return serving;
    }

    private List<Endpoints> endpoints(Service service) {
        return catalog.endpoints(service.getMetadata().getNamespace(), service.getMetadata().getName()).stream().toList();
    }

    private Name serviceName(Service service) {
        return child(service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc");
    }

    private static Name endpointName(EndpointAddress address, Name serviceName) {
        String hostname = address.getHostname();
        String label = hostname != null && !hostname.isBlank()
                ? hostname
                : literal(address.getIp()).map(DashedAddress::format).orElse(address.getIp());
        return concatenate(label.toLowerCase(Locale.ROOT), serviceName);
    }

    private Name child(String relative) {
        return concatenate(relative, zone);
    }

    private static Name concatenate(String relative, Name origin) {
        try {
            return Name.fromString(relative, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + relative, e);
        }
    }

    /** The name's labels below the zone, outermost first and lower-cased: {@code web.default.svc} gives [svc, default, web]. */
    private List<String> labelsBelowZone(Name name) {
        int below = name.labels() - zone.labels();
        List<String> labels = new ArrayList<>(below);
        for (int i = below - 1; i >= 0; i--) {
            labels.add(name.getLabelString(i).toLowerCase(Locale.ROOT));
        }
        return labels;
    }

    private static Optional<Record> addressRecord(Name owner, String ip) {
        return literal(ip).map(address -> addressRecord(owner, address));
    }

    private static Record addressRecord(Name owner, InetAddress address) {
        return address instanceof Inet4Address
                ? new ARecord(owner, DClass.IN, TTL, address)
                : new AAAARecord(owner, DClass.IN, TTL, address);
    }

    /** Parses an address literal only; never looks a name up. */
    static Optional<InetAddress> literal(String ip) {
        if (ip == null || ip.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.getByAddress(ip.trim()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static List<String> clusterIPs(ServiceSpec spec) {
        List<String> ips = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs()
                : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        return ips.stream().filter(Objects::nonNull).filter(ip -> !"None".equalsIgnoreCase(ip)).toList();
    }

    private static Optional<Name> externalTarget(ServiceSpec spec) {
        String target = spec.getExternalName();
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Name.fromString(target.trim(), Name.root));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    static boolean isExternalName(Service service) {
        return "ExternalName".equals(service.getSpec().getType());
    }

    static boolean isHeadless(Service service) {
        return !isExternalName(service) && "None".equalsIgnoreCase(service.getSpec().getClusterIP());
    }

    private static String protocolOf(String protocol) {
        return (protocol == null ? "TCP" : protocol).toLowerCase(Locale.ROOT);
    }

    private static List<ServicePort> ports(Service service) {
        return nonNull(service.getSpec().getPorts());
    }

    private static List<EndpointPort> ports(EndpointSubset subset) {
        return nonNull(subset.getPorts());
    }

    private static List<EndpointSubset> subsets(Endpoints object) {
        return nonNull(object.getSubsets());
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
