package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster DNS over real UDP and TCP sockets on loopback, queried with dnsjava's resolver. */
class ClusterDnsTest {

    final ServiceCatalog catalog = new ServiceCatalog();
    ClusterDns dns;
    ClusterDns upstreamDns;

    @BeforeEach
    void start() throws Exception {
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withClusterIP("127.96.3.4").addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .endSpec().build());
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withName("sql").withProtocol("TCP").withPort(5432).endPort()
                .endSpec().build());
        catalog.putEndpoints(new EndpointsBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .addNewSubset()
                .addNewAddress().withIp("127.128.1.2").withHostname("db-0").endAddress()
                .addNewAddress().withIp("127.128.1.3").endAddress()
                .addNewNotReadyAddress().withIp("127.128.1.4").endNotReadyAddress()
                .addNewPort().withName("sql").withProtocol("TCP").withPort(15432).endPort()
                .endSubset().build());
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("mail").withNamespace("shop").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("smtp.example.com").endSpec().build());
        // the "upstream" is a second server for another domain, also on loopback
        ServiceCatalog other = new ServiceCatalog();
        other.putService(new ServiceBuilder().withNewMetadata().withName("api").withNamespace("corp").endMetadata()
                .withNewSpec().withClusterIP("127.99.0.7").endSpec().build());
        upstreamDns = ClusterDns.start(new InetSocketAddress("127.0.0.1", 0), new DnsAnswers(other, "corp.internal", null));
        dns = ClusterDns.start(new InetSocketAddress("127.0.0.1", 0),
                new DnsAnswers(catalog, "cluster.local", new Upstream(List.of(upstreamDns.address()))));
    }

    @AfterEach
    void stop() {
        dns.close();
        upstreamDns.close();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static Set<String> answers(Message response) {
        return response.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void servicesAnswerWithTheirClusterIpOrTheirReadyEndpoints() throws Exception {
        Message web = ask("web.shop.svc.cluster.local.", Type.A, false);
        assertEquals(Rcode.NOERROR, web.getRcode());
        assertTrue(web.getHeader().getFlag(Flags.AA), "authoritative for the cluster domain");
        assertEquals(Set.of("127.96.3.4"), answers(web));
        assertEquals(Set.of("127.96.3.4"), answers(ask("WEB.Shop.SVC.cluster.local.", Type.A, false)), "case-insensitive");
        assertEquals(Set.of("127.128.1.2", "127.128.1.3"), answers(ask("db.shop.svc.cluster.local.", Type.A, false)),
                "headless: ready endpoints only");
        assertEquals(Set.of("127.128.1.2"), answers(ask("db-0.db.shop.svc.cluster.local.", Type.A, false)));
        assertEquals(Set.of("127.128.1.3"), answers(ask("127-128-1-3.db.shop.svc.cluster.local.", Type.A, true)), "over TCP");
        assertEquals(Set.of("127.0.0.9"), answers(ask("127-0-0-9.shop.pod.cluster.local.", Type.A, false)));
        Message mail = ask("mail.shop.svc.cluster.local.", Type.A, false);
        assertEquals("smtp.example.com.", ((CNAMERecord) mail.getSection(Section.ANSWER).get(0)).getTarget().toString());
    }

    @Test
    void namedPortsHaveSrvRecords() throws Exception {
        Message web = ask("_http._tcp.web.shop.svc.cluster.local.", Type.SRV, false);
        SRVRecord srv = (SRVRecord) web.getSection(Section.ANSWER).get(0);
        assertEquals(80, srv.getPort());
        assertEquals("web.shop.svc.cluster.local.", srv.getTarget().toString());
        assertEquals("127.96.3.4", ((ARecord) web.getSection(Section.ADDITIONAL).get(0)).getAddress().getHostAddress());
        Message db = ask("_sql._tcp.db.shop.svc.cluster.local.", Type.SRV, false);
        assertEquals(Set.of("0 100 15432 db-0.db.shop.svc.cluster.local.", "0 100 15432 127-128-1-3.db.shop.svc.cluster.local."),
                answers(db));
        assertEquals(Rcode.NXDOMAIN, ask("_nope._tcp.web.shop.svc.cluster.local.", Type.SRV, false).getRcode());
    }

    @Test
    void missingNamesAndTypesAreNxdomainAndNodata() throws Exception {
        Message missing = ask("nothing.shop.svc.cluster.local.", Type.A, false);
        assertEquals(Rcode.NXDOMAIN, missing.getRcode());
        assertEquals(Type.SOA, missing.getSection(Section.AUTHORITY).get(0).getType());
        Message aaaa = ask("web.shop.svc.cluster.local.", Type.AAAA, false);
        assertEquals(Rcode.NOERROR, aaaa.getRcode(), "the name exists: NODATA, so resolvers go on to the A answer");
        assertTrue(aaaa.getSection(Section.ANSWER).isEmpty());
        assertEquals(Rcode.NOERROR, ask("shop.svc.cluster.local.", Type.A, false).getRcode(), "an empty non-terminal");
        assertEquals(Rcode.NXDOMAIN, ask("db-9.db.shop.svc.cluster.local.", Type.A, false).getRcode());
    }

    @Test
    void otherNamesGoUpstream() throws Exception {
        assertEquals(Set.of("127.99.0.7"), answers(ask("api.corp.svc.corp.internal.", Type.A, false)));
        ClusterDns alone = ClusterDns.start(new InetSocketAddress("127.0.0.1", 0), new DnsAnswers(catalog, "cluster.local", null));
        try {
            SimpleResolver resolver = new SimpleResolver(alone.address());
            Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN)));
            assertEquals(Rcode.SERVFAIL, reply.getRcode(), "no upstream");
        } finally {
            alone.close();
        }
    }

    @Test
    void severalServersShareOneAddress() throws Exception {
        ClusterDns second = ClusterDns.start(dns.address(), new DnsAnswers(catalog, "cluster.local", null));
        try {
            assertEquals(dns.address(), second.address());
            assertEquals(Set.of("127.96.3.4"), answers(ask("web.shop.svc.cluster.local.", Type.A, false)));
        } finally {
            second.close();
        }
    }
}
