package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Cluster DNS in the shape Kubernetes defines it, answered from the agent's Service catalog:
 * {@code <svc>.<ns>.svc.<domain>} (the cluster IP, or a headless Service's ready endpoints, or an
 * ExternalName's CNAME), {@code <host>.<svc>.<ns>.svc.<domain>} for headless endpoints,
 * {@code _<port>._<proto>.<svc>.<ns>.svc.<domain>} SRV for named ports, and
 * {@code <a-b-c-d>.<ns>.pod.<domain>}. Other names go to the upstream resolvers.
 */
public final class DnsAnswers {

    static final long TTL = 5;

    private final ServiceCatalog catalog;
    private final Name domain;
    private final Upstream upstream;
    private final SOARecord soa;

    public DnsAnswers(ServiceCatalog catalog, String clusterDomain, Upstream upstream) {
        this.catalog = catalog;
        this.upstream = upstream;
        try {
            this.domain = Name.fromString(clusterDomain.endsWith(".") ? clusterDomain : clusterDomain + ".");
            this.soa = new SOARecord(domain, DClass.IN, TTL, Name.fromString("ns.dns", domain),
                    Name.fromString("hostmaster", domain), 1, 7200, 1800, 86400, TTL);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS domain: " + clusterDomain, e);
        }
    }

    public CompletionStage<Message> answer(Message query) {
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getOpcode() != 0) {
            return CompletableFuture.completedFuture(reply(query, Rcode.FORMERR, false));
        }
        Name name = question.getName();
        if (!name.subdomain(domain)) {
            if (upstream == null) {
                return CompletableFuture.completedFuture(reply(query, Rcode.SERVFAIL, false));
            }
            return upstream.forward(query).handle((answer, failure) -> {
                if (failure != null) {
                    return reply(query, Rcode.SERVFAIL, false);
                }
                answer.getHeader().setID(query.getHeader().getID());
                return answer;
            });
        }
        return CompletableFuture.completedFuture(local(query, question));
    }

    private Message local(Message query, Record question) {
        Name name = question.getName();
        List<String> labels = labels(name);
        List<Record> found = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        boolean exists = lookup(name, labels, question.getType(), found, additional);
        Message response = reply(query, exists ? Rcode.NOERROR : Rcode.NXDOMAIN, true);
        found.forEach(r -> response.addRecord(r, Section.ANSWER));
        additional.forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        if (found.isEmpty()) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return response;
    }

    /** The labels below the cluster domain, lower-case, leftmost first. */
    private List<String> labels(Name name) {
        Name relative = name.relativize(domain);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < relative.labels(); i++) {
            String label = relative.getLabelString(i);
            if (!label.isEmpty()) {
                labels.add(label.toLowerCase(Locale.ROOT));
            }
        }
        return labels;
    }

    /** Fills in the records of {@code type} at {@code name}; false when the name does not exist. */
    private boolean lookup(Name name, List<String> labels, int type, List<Record> answer, List<Record> additional) {
        int n = labels.size();
        if (n == 0) {
            if (type == Type.SOA || type == Type.ANY) {
                answer.add(soa);
            }
            return true;
        }
        String zone = labels.get(n - 1);
        if (zone.equals("svc")) {
            return switch (n) {
                case 1, 2 -> true; // svc.<domain> and <ns>.svc.<domain> hold names below them
                case 3 -> service(name, labels.get(1), labels.get(0), type, answer);
                case 4 -> endpointHost(name, labels.get(2), labels.get(1), labels.get(0), type, answer);
                case 5 -> labels.get(0).startsWith("_") && labels.get(1).startsWith("_")
                        && srv(name, labels.get(3), labels.get(2), labels.get(0).substring(1), labels.get(1).substring(1),
                                type, answer, additional);
                default -> false;
            };
        }
        if (zone.equals("pod")) {
            if (n == 1 || n == 2) {
                return true;
            }
            Optional<InetAddress> ip = n == 3 ? dashedIp(labels.get(0)) : Optional.empty();
            ip.filter(a -> type == Type.A || type == Type.ANY).ifPresent(a -> answer.add(new ARecord(name, DClass.IN, TTL, a)));
            return ip.isPresent();
        }
        return false;
    }

    private boolean service(Name name, String namespace, String serviceName, int type, List<Record> answer) {
        Service service = catalog.service(namespace, serviceName).orElse(null);
        if (service == null || service.getSpec() == null) {
            return false;
        }
        if ("ExternalName".equals(service.getSpec().getType())) {
            String target = service.getSpec().getExternalName();
            try {
                answer.add(new CNAMERecord(name, DClass.IN, TTL, Name.fromString(target.endsWith(".") ? target : target + ".")));
            } catch (TextParseException e) {
                return true;
            }
            return true;
        }
        if (type != Type.A && type != Type.ANY) {
            return true;
        }
        if (headless(service)) {
            for (EndpointAddress address : publishedAddresses(service)) {
                address(address.getIp()).ifPresent(ip -> answer.add(new ARecord(name, DClass.IN, TTL, ip)));
            }
        } else {
            address(service.getSpec().getClusterIP()).ifPresent(ip -> answer.add(new ARecord(name, DClass.IN, TTL, ip)));
        }
        return true;
    }

    private boolean endpointHost(Name name, String namespace, String serviceName, String host, int type, List<Record> answer) {
        Service service = catalog.service(namespace, serviceName).orElse(null);
        if (service == null || !headless(service)) {
            return false;
        }
        for (EndpointAddress address : publishedAddresses(service)) {
            if (host.equals(hostLabel(address))) {
                if (type == Type.A || type == Type.ANY) {
                    address(address.getIp()).ifPresent(ip -> answer.add(new ARecord(name, DClass.IN, TTL, ip)));
                }
                return true;
            }
        }
        return false;
    }

    private boolean srv(Name name, String namespace, String serviceName, String portName, String protocol, int type,
            List<Record> answer, List<Record> additional) {
        Service service = catalog.service(namespace, serviceName).orElse(null);
        if (service == null || service.getSpec() == null || "ExternalName".equals(service.getSpec().getType())) {
            return false;
        }
        Name serviceFqdn = suffix(name, 2);
        boolean exists = false;
        if (headless(service)) {
            Endpoints endpoints = catalog.endpoints(namespace, serviceName).orElse(null);
            for (EndpointSubset subset : endpoints == null ? List.<EndpointSubset>of() : endpoints.getSubsets()) {
                Optional<EndpointPort> port = subset.getPorts().stream()
                        .filter(p -> portName.equals(p.getName()) && protocol.equalsIgnoreCase(Objects.requireNonNullElse(p.getProtocol(), "TCP")))
                        .findFirst();
                if (port.isEmpty()) {
                    continue;
                }
                exists = true;
                for (EndpointAddress address : addressesOf(service, subset)) {
                    Name target = child(serviceFqdn, hostLabel(address));
                    if (type == Type.SRV || type == Type.ANY) {
                        answer.add(new SRVRecord(name, DClass.IN, TTL, 0, 100, port.get().getPort(), target));
                        address(address.getIp()).ifPresent(ip -> additional.add(new ARecord(target, DClass.IN, TTL, ip)));
                    }
                }
            }
            return exists;
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            if (portName.equals(port.getName()) && protocol.equalsIgnoreCase(Objects.requireNonNullElse(port.getProtocol(), "TCP"))) {
                exists = true;
                if (type == Type.SRV || type == Type.ANY) {
                    answer.add(new SRVRecord(name, DClass.IN, TTL, 0, 100, port.getPort(), serviceFqdn));
                    address(service.getSpec().getClusterIP())
                            .ifPresent(ip -> additional.add(new ARecord(serviceFqdn, DClass.IN, TTL, ip)));
                }
            }
        }
        return exists;
    }

    private static boolean headless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    /** The endpoint addresses a headless Service publishes: ready ones, or all with publishNotReadyAddresses. */
    private List<EndpointAddress> publishedAddresses(Service service) {
        Endpoints endpoints = catalog.endpoints(service.getMetadata().getNamespace(), service.getMetadata().getName()).orElse(null);
        List<EndpointAddress> addresses = new ArrayList<>();
        for (EndpointSubset subset : endpoints == null ? List.<EndpointSubset>of() : endpoints.getSubsets()) {
            for (EndpointAddress address : addressesOf(service, subset)) {
                if (addresses.stream().noneMatch(a -> a.getIp().equals(address.getIp()))) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }

    private static List<EndpointAddress> addressesOf(Service service, EndpointSubset subset) {
        List<EndpointAddress> addresses = new ArrayList<>(subset.getAddresses());
        if (Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())) {
            addresses.addAll(subset.getNotReadyAddresses());
        }
        return addresses;
    }

    /** An endpoint's own name: its hostname, or its address with dashes. */
    private static String hostLabel(EndpointAddress address) {
        String hostname = address.getHostname();
        return hostname != null && !hostname.isEmpty() ? hostname.toLowerCase(Locale.ROOT) : address.getIp().replace('.', '-').replace(':', '-');
    }

    private static Name suffix(Name name, int dropped) {
        return new Name(name, dropped);
    }

    private static Name child(Name parent, String label) {
        try {
            return Name.concatenate(Name.fromString(label, null), parent);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a DNS label: " + label, e);
        }
    }

    private static Optional<InetAddress> address(String ip) {
        if (ip == null || ip.isEmpty() || !ip.matches("[0-9.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> dashedIp(String label) {
        return label.matches("\\d{1,3}(-\\d{1,3}){3}") ? address(label.replace('-', '.')) : Optional.empty();
    }

    private static Message reply(Message query, int rcode, boolean authoritative) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (authoritative) {
            response.getHeader().setFlag(Flags.AA);
        }
        response.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return response;
    }
}
