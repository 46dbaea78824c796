package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.tug.node.services.dns.Fixtures.LOOPBACK;
import static dev.tug.node.services.dns.Fixtures.ask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterDnsTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ServiceCatalog catalog;
    private InetSocketAddress server;

    @BeforeEach
    void start() {
        catalog = Fixtures.catalog();
        server = serve(new DnsAnswers(catalog, "cluster.local", Upstream.none())).address();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void serviceNameGivesTheClusterIp() throws Exception {
        Message response = ask(server, false, "web.default.svc.cluster.local.", Type.A);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(List.of("10.96.0.10"), rdata(response, Section.ANSWER, Type.A));
        Record answer = response.getSection(Section.ANSWER).get(0);
        assertEquals(5, answer.getTTL());
        assertTrue(response.getHeader().getFlag(Flags.AA));
        assertTrue(response.getHeader().getFlag(Flags.QR));
        assertTrue(response.getHeader().getFlag(Flags.RD));
        assertEquals(Name.fromString("web.default.svc.cluster.local."), response.getQuestion().getName());
    }

    @Test
    void headlessServiceGivesReadyEndpointsOnly() throws Exception {
        Message response = ask(server, false, "db.default.svc.cluster.local.", Type.A);
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), Set.copyOf(rdata(response, Section.ANSWER, Type.A)));
    }

    @Test
    void headlessServicePublishingNotReadyAddressesGivesThemToo() throws Exception {
        Message response = ask(server, false, "pub.default.svc.cluster.local.", Type.A);
        assertEquals(Set.of("10.0.1.1", "10.0.1.2"), Set.copyOf(rdata(response, Section.ANSWER, Type.A)));
    }

    @Test
    void endpointsAnswerByHostnameAndByDashedAddress() throws Exception {
        assertEquals(List.of("10.0.0.1"), rdata(ask(server, false, "db-0.db.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        assertEquals(List.of("10.0.0.2"), rdata(ask(server, false, "10-0-0-2.db.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        assertEquals(List.of("10.0.0.1"), rdata(ask(server, false, "10-0-0-1.db.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        // db-2 is not ready, and ClusterIP services have no per-endpoint names
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "db-2.db.default.svc.cluster.local.", Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "10-0-0-3.db.default.svc.cluster.local.", Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "10-96-0-10.web.default.svc.cluster.local.", Type.A).getRcode());
    }

    @Test
    void srvForClusterIpServicePointsAtTheService() throws Exception {
        Message response = ask(server, false, "_http._tcp.web.default.svc.cluster.local.", Type.SRV);
        assertEquals(List.of("0 100 80 web.default.svc.cluster.local."), rdata(response, Section.ANSWER, Type.SRV));
        assertEquals(List.of("10.96.0.10"), rdata(response, Section.ADDITIONAL, Type.A));

        Message udp = ask(server, false, "_dns._udp.web.default.svc.cluster.local.", Type.SRV);
        assertEquals(List.of("0 100 53 web.default.svc.cluster.local."), rdata(udp, Section.ANSWER, Type.SRV));
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "_http._udp.web.default.svc.cluster.local.", Type.SRV).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "_nope._tcp.web.default.svc.cluster.local.", Type.SRV).getRcode());
        // the protocol level exists as an empty non-terminal
        Message protocol = ask(server, false, "_tcp.web.default.svc.cluster.local.", Type.SRV);
        assertEquals(Rcode.NOERROR, protocol.getRcode());
        assertTrue(protocol.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void srvForHeadlessServiceListsEachReadyEndpointAtItsPort() throws Exception {
        Message response = ask(server, false, "_pg._tcp.db.default.svc.cluster.local.", Type.SRV);
        assertEquals(Set.of("0 100 15432 db-0.db.default.svc.cluster.local.", "0 100 15432 10-0-0-2.db.default.svc.cluster.local."),
                Set.copyOf(rdata(response, Section.ANSWER, Type.SRV)));
        Set<String> additional = response.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getType() == Type.A)
                .map(r -> r.getName() + " " + r.rdataToString())
                .collect(Collectors.toSet());
        assertEquals(Set.of("db-0.db.default.svc.cluster.local. 10.0.0.1", "10-0-0-2.db.default.svc.cluster.local. 10.0.0.2"), additional);
    }

    @Test
    void externalNameIsACname() throws Exception {
        Message response = ask(server, false, "ext.default.svc.cluster.local.", Type.A);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(List.of("example.org."), rdata(response, Section.ANSWER, Type.CNAME));
    }

    @Test
    void unknownNamesAreNxdomainWithSoa() throws Exception {
        for (String name : List.of("nope.default.svc.cluster.local.", "web.nope.svc.cluster.local.",
                "nope.cluster.local.", "a.b.web.default.svc.cluster.local.", "not-an-ip.default.pod.cluster.local.")) {
            Message response = ask(server, false, name, Type.A);
            assertEquals(Rcode.NXDOMAIN, response.getRcode(), name);
            assertTrue(response.getHeader().getFlag(Flags.AA), name);
            assertTrue(response.getSection(Section.ANSWER).isEmpty(), name);
            assertInstanceOf(SOARecord.class, response.getSection(Section.AUTHORITY).get(0), name);
            assertEquals(Name.fromString("cluster.local."), response.getSection(Section.AUTHORITY).get(0).getName());
        }
    }

    @Test
    void existingNamesWithoutTheTypeAreNodata() throws Exception {
        for (String name : List.of("web.default.svc.cluster.local.", "default.svc.cluster.local.", "svc.cluster.local.")) {
            Message response = ask(server, false, name, Type.AAAA);
            assertEquals(Rcode.NOERROR, response.getRcode(), name);
            assertTrue(response.getSection(Section.ANSWER).isEmpty(), name);
            assertInstanceOf(SOARecord.class, response.getSection(Section.AUTHORITY).get(0), name);
        }
        assertEquals(Rcode.NOERROR, ask(server, false, "default.svc.cluster.local.", Type.A).getRcode());
        Message soa = ask(server, false, "cluster.local.", Type.SOA);
        assertEquals(1, soa.getSection(Section.ANSWER).size());
    }

    @Test
    void podNamesAreTheirDashedAddress() throws Exception {
        Message response = ask(server, false, "10-244-1-5.default.pod.cluster.local.", Type.A);
        assertEquals(List.of("10.244.1.5"), rdata(response, Section.ANSWER, Type.A));
        assertTrue(response.getHeader().getFlag(Flags.AA));
    }

    @Test
    void matchingIgnoresCaseAndEchoesTheQuestion() throws Exception {
        Message response = ask(server, false, "WEB.Default.SVC.Cluster.LOCAL.", Type.A);
        assertEquals(List.of("10.96.0.10"), rdata(response, Section.ANSWER, Type.A));
        assertEquals("WEB.Default.SVC.Cluster.LOCAL.", response.getQuestion().getName().toString());
        assertEquals(Set.of("10.0.0.1"), Set.copyOf(rdata(ask(server, false, "DB-0.db.DEFAULT.svc.cluster.local.", Type.A), Section.ANSWER, Type.A)));
        assertEquals(1, ask(server, false, "_HTTP._TCP.web.default.svc.cluster.local.", Type.SRV).getSection(Section.ANSWER).size());
    }

    @Test
    void answersOverTcp() throws Exception {
        Message response = ask(server, true, "web.default.svc.cluster.local.", Type.A);
        assertEquals(List.of("10.96.0.10"), rdata(response, Section.ANSWER, Type.A));
        assertEquals(Rcode.NXDOMAIN, ask(server, true, "nope.default.svc.cluster.local.", Type.A).getRcode());
    }

    @Test
    void catalogChangesShowAtOnce() throws Exception {
        catalog.putService(Fixtures.clusterIp("default", "late", "10.96.0.99"));
        assertEquals(List.of("10.96.0.99"), rdata(ask(server, false, "late.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        catalog.removeService(Fixtures.clusterIp("default", "late", "10.96.0.99"));
        assertEquals(Rcode.NXDOMAIN, ask(server, false, "late.default.svc.cluster.local.", Type.A).getRcode());
    }

    @Test
    void largeUdpAnswersAreTruncatedAndComeWholeOverTcp() throws Exception {
        catalog.putService(Fixtures.headless("default", "big", false, "http", 80));
        catalog.putEndpoints(Fixtures.endpoints("default", "big",
                IntStream.range(1, 61).mapToObj(i -> Fixtures.address("10.1.0." + i, null)).toList()));

        SimpleResolver plainUdp = Fixtures.resolver(server, false);
        plainUdp.setEDNS(-1); // no EDNS: 512 bytes is all the client can take
        plainUdp.setIgnoreTruncation(true);
        Message truncated = plainUdp.send(Fixtures.query("big.default.svc.cluster.local.", Type.A));
        assertTrue(truncated.getHeader().getFlag(Flags.TC));
        assertTrue(truncated.numBytes() <= 512);

        // dnsjava's default EDNS size (1280) fits all 60
        SimpleResolver ednsUdp = Fixtures.resolver(server, false);
        ednsUdp.setIgnoreTruncation(true);
        Message whole = ednsUdp.send(Fixtures.query("big.default.svc.cluster.local.", Type.A));
        assertFalse(whole.getHeader().getFlag(Flags.TC));
        assertEquals(60, whole.getSection(Section.ANSWER).size());

        assertEquals(60, ask(server, true, "big.default.svc.cluster.local.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void forwardsOtherNamesToUpstream() throws Exception {
        ServiceCatalog upstreamCatalog = new ServiceCatalog();
        upstreamCatalog.putService(Fixtures.clusterIp("default", "web", "10.200.0.1"));
        ClusterDns upstreamServer = serve(new DnsAnswers(upstreamCatalog, "other.test", Upstream.none()));
        InetSocketAddress forwarding = serve(new DnsAnswers(catalog, "cluster.local",
                new Upstream(List.of(upstreamServer.address())))).address();

        for (boolean tcp : List.of(false, true)) {
            Message response = ask(forwarding, tcp, "web.default.svc.other.test.", Type.A);
            assertEquals(Rcode.NOERROR, response.getRcode());
            assertEquals(List.of("10.200.0.1"), rdata(response, Section.ANSWER, Type.A));
            assertTrue(response.getHeader().getFlag(Flags.RA));
            assertEquals(Rcode.NXDOMAIN, ask(forwarding, tcp, "nope.default.svc.other.test.", Type.A).getRcode());
        }
        // cluster names are still ours
        assertEquals(List.of("10.96.0.10"), rdata(ask(forwarding, false, "web.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
    }

    @Test
    void noUpstreamMeansServfail() throws Exception {
        Message response = ask(server, false, "example.org.", Type.A);
        assertEquals(Rcode.SERVFAIL, response.getRcode());
        assertEquals(Name.fromString("example.org."), response.getQuestion().getName());
    }

    @Test
    void silentUpstreamGivesServfailWithoutHoldingUpClusterAnswers() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress forwarding = serve(new DnsAnswers(catalog, "cluster.local",
                    new Upstream(List.of((InetSocketAddress) blackHole.getLocalSocketAddress()), Duration.ofMillis(1500)))).address();
            SimpleResolver patient = Fixtures.resolver(forwarding, false);
            patient.setTimeout(Duration.ofSeconds(10));
            CompletableFuture<Message> forwarded = patient.sendAsync(Fixtures.query("example.org.", Type.A)).toCompletableFuture();

            long started = System.nanoTime();
            Message local = ask(forwarding, false, "web.default.svc.cluster.local.", Type.A);
            assertEquals(List.of("10.96.0.10"), rdata(local, Section.ANSWER, Type.A));
            assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(1000), "cluster answer waited on upstream");
            assertFalse(forwarded.isDone());

            assertEquals(Rcode.SERVFAIL, forwarded.get(10, TimeUnit.SECONDS).getRcode());
        }
    }

    @Test
    void twoServersShareOneAddressWithReusePort() throws Exception {
        ClusterDns second = serve(new DnsAnswers(catalog, "cluster.local", Upstream.none()));
        ClusterDns third = ClusterDns.start(second.address(), new DnsAnswers(catalog, "cluster.local", Upstream.none()));
        toClose.add(third);
        assertEquals(second.address(), third.address());
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("10.96.0.10"), rdata(ask(third.address(), i % 2 == 0, "web.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        }
        second.close();
        assertEquals(List.of("10.96.0.10"), rdata(ask(third.address(), false, "web.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
        assertEquals(List.of("10.96.0.10"), rdata(ask(third.address(), true, "web.default.svc.cluster.local.", Type.A), Section.ANSWER, Type.A));
    }

    @Test
    void malformedUdpIsDroppedOrFormerr() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(500);
            socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, server));
            assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[512], 512)));

            byte[] headerPromisingAQuestion = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
            socket.send(new DatagramPacket(headerPromisingAQuestion, headerPromisingAQuestion.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message response = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertEquals(0x1234, response.getHeader().getID());
            assertEquals(Rcode.FORMERR, response.getRcode());
            assertTrue(response.getHeader().getFlag(Flags.QR));

            // the socket still serves after garbage
            assertEquals(Rcode.NOERROR, ask(server, false, "web.default.svc.cluster.local.", Type.A).getRcode());
        }
    }

    @Test
    void malformedTcpGetsFormerr() throws Exception {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(3000);
            byte[] headerPromisingAQuestion = {0x43, 0x21, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7};
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(headerPromisingAQuestion.length);
            out.write(headerPromisingAQuestion);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            Message response = new Message(reply);
            assertEquals(0x4321, response.getHeader().getID());
            assertEquals(Rcode.FORMERR, response.getRcode());

            // and the connection carries on with a proper query
            byte[] query = Fixtures.query("web.default.svc.cluster.local.", Type.A).toWire();
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertEquals(List.of("10.96.0.10"), rdata(new Message(answer), Section.ANSWER, Type.A));
        }
    }

    @Test
    void portZeroBindsUdpAndTcpToTheSamePort() throws Exception {
        assertTrue(server.getPort() > 0);
        assertArrayEquals(LOOPBACK.getAddress(), server.getAddress().getAddress());
        assertEquals(Rcode.NOERROR, ask(server, false, "web.default.svc.cluster.local.", Type.A).getRcode());
        assertEquals(Rcode.NOERROR, ask(server, true, "web.default.svc.cluster.local.", Type.A).getRcode());
    }

    private ClusterDns serve(DnsAnswers answers) {
        ClusterDns dns = ClusterDns.start(new InetSocketAddress(LOOPBACK, 0), answers);
        toClose.add(dns);
        return dns;
    }

    static List<String> rdata(Message response, int section, int type) {
        return response.getSection(section).stream().filter(r -> r.getType() == type).map(Record::rdataToString).toList();
    }

    @Test
    void anAddressTakenByAnotherServerIsRefusedCleanly() throws Exception {
        // a socket without SO_REUSEPORT keeps the port to itself, as a foreign DNS server would
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            Exception refused = assertThrows(Exception.class,
                    () -> ClusterDns.start(new InetSocketAddress(LOOPBACK, taken.getLocalPort()),
                            new DnsAnswers(new ServiceCatalog(), "cluster.local", Upstream.none())));
            assertTrue(refused instanceof IOException, refused.toString());
        }
    }
}
