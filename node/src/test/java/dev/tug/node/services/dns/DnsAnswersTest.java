package dev.tug.node.services.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.tug.node.services.dns.ClusterDnsTest.rdata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answering logic on its own, without sockets. */
class DnsAnswersTest {

    private final DnsAnswers answers = new DnsAnswers(Fixtures.catalog(), "Cluster.Local", Upstream.none());

    @Test
    void idQuestionAndFlagsAreEchoed() throws Exception {
        Message query = Fixtures.query("web.default.svc.cluster.local.", Type.A);
        query.getHeader().unsetFlag(Flags.RD);
        Message response = answers.answer(query).join();
        assertEquals(query.getHeader().getID(), response.getHeader().getID());
        assertEquals(query.getQuestion(), response.getQuestion());
        assertTrue(response.getHeader().getFlag(Flags.QR));
        assertFalse(response.getHeader().getFlag(Flags.RD));
        assertTrue(response.getHeader().getFlag(Flags.AA));
    }

    @Test
    void anyGivesEveryRecordAtTheName() throws Exception {
        Message response = answers.answer(Fixtures.query("db.default.svc.cluster.local.", Type.ANY)).join();
        assertEquals(2, rdata(response, Section.ANSWER, Type.A).size());
    }

    @Test
    void cnameIsGivenForAnyTypeAtAnExternalName() throws Exception {
        for (int type : List.of(Type.AAAA, Type.CNAME, Type.TXT)) {
            Message response = answers.answer(Fixtures.query("ext.default.svc.cluster.local.", type)).join();
            assertEquals(List.of("example.org."), rdata(response, Section.ANSWER, Type.CNAME), Type.string(type));
        }
    }

    @Test
    void ipv6PodsAndEndpointsUseDashedAddresses() throws Exception {
        Message pod = answers.answer(Fixtures.query("fd00--1.default.pod.cluster.local.", Type.AAAA)).join();
        assertEquals(InetAddress.getByName("fd00::1"), ((AAAARecord) pod.getSection(Section.ANSWER).get(0)).getAddress());

        // an IPv6 headless endpoint answers by its dashed name too
        var catalog = Fixtures.catalog();
        catalog.putService(Fixtures.headless("default", "v6", false, "http", 80));
        catalog.putEndpoints(Fixtures.endpoints("default", "v6", List.of(Fixtures.address("fd00::a:0:1", null))));
        Message endpoint = new DnsAnswers(catalog, "cluster.local", Upstream.none())
                .answer(Fixtures.query("fd00--a-0-1.v6.default.svc.cluster.local.", Type.AAAA)).join();
        assertEquals(InetAddress.getByName("fd00::a:0:1"), ((AAAARecord) endpoint.getSection(Section.ANSWER).get(0)).getAddress());
        assertEquals("fd00--a-0-1", DashedAddress.format(InetAddress.getByName("fd00::a:0:1")));
        assertEquals("10-1-2-3", DashedAddress.format(InetAddress.getByName("10.1.2.3")));
        assertEquals(Optional.of(InetAddress.getByName("10.1.2.3")), DashedAddress.parse("10-1-2-3"));
        assertEquals(Optional.empty(), DashedAddress.parse("db-0"));
        assertEquals(Optional.empty(), DashedAddress.parse("300-1-2-3"));
    }

    @Test
    void ednsQueriesGetOurOpt() throws Exception {
        Message query = Fixtures.query("web.default.svc.cluster.local.", Type.A);
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        OPTRecord opt = answers.answer(query).join().getOPT();
        assertNotNull(opt);
        assertEquals(DnsAnswers.EDNS_PAYLOAD_SIZE, opt.getPayloadSize());
    }

    @Test
    void otherOpcodesAndClassesAreRefused() throws Exception {
        Message notify = Fixtures.query("cluster.local.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertEquals(Rcode.NOTIMP, answers.answer(notify).join().getRcode());

        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.TXT, DClass.CH));
        assertEquals(Rcode.REFUSED, answers.answer(chaos).join().getRcode());

        assertEquals(Rcode.FORMERR, answers.answer(new Message()).join().getRcode());
    }

    @Test
    void namesOutsideTheDomainFailWithoutUpstream() throws Exception {
        Message response = answers.answer(Fixtures.query("cluster.local.example.", Type.A)).join();
        assertEquals(Rcode.SERVFAIL, response.getRcode());
        assertFalse(response.getHeader().getFlag(Flags.AA));
    }

    @Test
    void upstreamReadsEveryNameserverInResolvConf(@TempDir Path dir) throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, """
                # comment
                search default.svc.cluster.local
                nameserver 127.0.0.53
                nameserver 127.0.0.1
                options ndots:5
                """);
        Upstream upstream = Upstream.fromResolvConf(resolvConf);
        assertEquals(List.of(new InetSocketAddress("127.0.0.53", 53), new InetSocketAddress("127.0.0.1", 53)), upstream.servers());
        assertTrue(upstream.isConfigured());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53)), upstream.excluding("127.0.0.53").servers(),
                "the cluster DNS's own address is left out");

        Files.writeString(resolvConf, "search example.org\n");
        assertFalse(Upstream.fromResolvConf(resolvConf).isConfigured());
        assertFalse(Upstream.fromResolvConf(dir.resolve("missing")).isConfigured());
    }
}
