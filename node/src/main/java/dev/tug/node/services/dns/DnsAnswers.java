package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Answers DNS queries: authoritatively for the cluster domain from the {@link ServiceCatalog},
 * by forwarding to the {@link Upstream} for everything else. No sockets here; see {@link ClusterDns}.
 */
public final class DnsAnswers {

    /** The UDP payload size we advertise over EDNS: the usual size that avoids IP fragmentation. */
    static final int EDNS_PAYLOAD_SIZE = 1232;

    private final ClusterRecords records;
    private final Upstream upstream;

    public DnsAnswers(ServiceCatalog catalog, String clusterDomain, Upstream upstream) {
        this.records = new ClusterRecords(catalog, absolute(clusterDomain));
        this.upstream = upstream;
    }

    public Name clusterDomain() {
        return records.zone();
    }

    /**
     * The response to {@code query}. Cluster names complete at once; forwarded ones complete on
     * dnsjava's threads when upstream answers, or with SERVFAIL when it cannot. Never completes exceptionally.
     */
    public CompletableFuture<Message> answer(Message query) {
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            throw new IllegalArgumentException("not a query: the QR flag is set");
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return CompletableFuture.completedFuture(error(query, Rcode.NOTIMP));
        }
        Record question = query.getQuestion();
        if (question == null || header.getCount(Section.QUESTION) != 1) {
            return CompletableFuture.completedFuture(error(query, Rcode.FORMERR));
        }
        if (question.getName().subdomain(records.zone())) {
            return CompletableFuture.completedFuture(authoritative(query, question));
        }
        return forward(query, question);
    }

    /** A bare error response echoing the query's id and question, e.g. for a query that could not be parsed in full. */
    public static Message error(Message query, int rcode) {
        Message response = responseTo(query);
        response.getHeader().setRcode(rcode);
        return response;
    }

    private Message authoritative(Message query, Record question) {
        Message response = responseTo(query);
        response.getHeader().setFlag(Flags.AA);
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        Optional<ClusterRecords.NameRecords> found = records.lookup(question.getName());
        if (found.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(records.soa(), Section.AUTHORITY);
            return response;
        }
        List<Record> answers = select(found.get().records(), question.getType());
        answers.forEach(r -> response.addRecord(r, Section.ANSWER));
        if (answers.isEmpty()) {
            response.addRecord(records.soa(), Section.AUTHORITY); // NODATA: the name exists, not with this type
        } else if (answers.stream().anyMatch(r -> r.getType() == Type.SRV)) {
            found.get().additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        }
        return response;
    }

    /** A CNAME stands in for every type at its name; otherwise the records of the asked type (or all, for ANY). */
    private static List<Record> select(List<Record> atName, int type) {
        List<Record> cnames = atName.stream().filter(r -> r instanceof CNAMERecord).toList();
        if (!cnames.isEmpty()) {
            return cnames;
        }
        return atName.stream().filter(r -> type == Type.ANY || r.getType() == type).toList();
    }

    private CompletableFuture<Message> forward(Message query, Record question) {
        if (!upstream.isConfigured()) {
            return CompletableFuture.completedFuture(error(query, Rcode.SERVFAIL));
        }
        return upstream.forward(question)
                .thenApply(reply -> relay(query, reply))
                .exceptionally(failure -> error(query, Rcode.SERVFAIL));
    }

    /** Upstream's reply, re-addressed to our client: its id, its RD flag, and our own EDNS record. */
    private static Message relay(Message query, Message reply) {
        Message response = reply.clone();
        Header header = response.getHeader();
        header.setID(query.getHeader().getID());
        copyFlag(query.getHeader(), header, Flags.RD);
        header.setFlag(Flags.RA);
        header.unsetFlag(Flags.TC); // the whole reply is here; ClusterDns truncates anew for the client's transport
        OPTRecord upstreamOpt = response.getOPT();
        if (upstreamOpt != null) {
            response.removeRecord(upstreamOpt, Section.ADDITIONAL);
        }
        if (query.getOPT() != null) {
            response.addRecord(ourOpt(), Section.ADDITIONAL);
        }
        return response;
    }

    private static Message responseTo(Message query) {
        Header asked = query.getHeader();
        Message response = new Message(asked.getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(asked.getOpcode());
        copyFlag(asked, header, Flags.RD);
        header.setFlag(Flags.RA); // recursion is available for names outside the cluster, through the upstream
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            response.addRecord(ourOpt(), Section.ADDITIONAL);
        }
        return response;
    }

    private static OPTRecord ourOpt() {
        return new OPTRecord(EDNS_PAYLOAD_SIZE, 0, 0);
    }

    private static void copyFlag(Header from, Header to, int flag) {
        if (from.getFlag(flag)) {
            to.setFlag(flag);
        } else {
            to.unsetFlag(flag);
        }
    }

    private static Name absolute(String domain) {
        try {
            String trimmed = domain.endsWith(".") ? domain : domain + ".";
            return Name.fromString(trimmed.toLowerCase(java.util.Locale.ROOT));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS domain: " + domain, e);
        }
    }
}
