package dev.tug.node.services.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.config.ResolvConfResolverConfigProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The resolvers that names outside the cluster domain are forwarded to. Queries go out
 * asynchronously (dnsjava's own I/O threads), so a Netty event loop never waits on them.
 */
public final class Upstream {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final Resolver resolver; // null when there is nobody to ask

    public Upstream(List<InetSocketAddress> servers) {
        this(servers, DEFAULT_TIMEOUT);
    }

    /** {@code timeout} bounds each attempt at one server; the servers are tried in turn. */
    public Upstream(List<InetSocketAddress> servers, Duration timeout) {
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.resolver = this.servers.isEmpty() ? null : resolverFor(this.servers, timeout);
    }

    /** No upstream: every name outside the cluster domain gets SERVFAIL. */
    public static Upstream none() {
        return new Upstream(List.of());
    }

    /** The host's resolvers, as listed by the {@code nameserver} lines of /etc/resolv.conf. */
    public static Upstream fromResolvConf() {
        return fromResolvConf(Path.of("/etc/resolv.conf"));
    }

    /**
     * Reads the nameservers with dnsjava's resolv.conf parser rather than {@code ResolverConfig.getCurrentConfig()},
     * because the latter falls back to 127.0.0.1:53 when the file lists none, and that may well be this very server.
     */
    public static Upstream fromResolvConf(Path resolvConf) {
        if (!Files.isReadable(resolvConf)) {
            return none();
        }
        try (InputStream in = Files.newInputStream(resolvConf)) {
            ResolvConfFile file = new ResolvConfFile();
            file.parse(in);
            return new Upstream(file.servers());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resolvConf, e);
        }
    }

    /** These resolvers without the ones at {@code address}: the cluster DNS must never forward to itself. */
    public Upstream excluding(String address) {
        return new Upstream(servers.stream().filter(server -> !server.getAddress().getHostAddress().equals(address)).toList(),
                timeout);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    public boolean isConfigured() {
        return resolver != null;
    }

    /**
     * Asks the upstream servers the question, recursion desired. Completes exceptionally when
     * none is configured or none answers; an upstream's own error rcode comes back as its answer.
     */
    public CompletableFuture<Message> forward(Record question) {
        if (resolver == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no upstream resolvers configured"));
        }
        // A fresh query rather than the client's: its id, EDNS options or signature are not ours to pass on.
        Message query = Message.newQuery(question);
        query.getHeader().setFlag(Flags.RD);
        return resolver.sendAsync(query).toCompletableFuture();
    }

    @Override
    public String toString() {
        return "Upstream" + servers;
    }

    private static Resolver resolverFor(List<InetSocketAddress> servers, Duration timeout) {
        List<Resolver> each = servers.stream().map(address -> {
            SimpleResolver one = new SimpleResolver(address);
            one.setTimeout(timeout);
            return (Resolver) one;
        }).toList();
        ExtendedResolver all = new ExtendedResolver(each);
        all.setRetries(1);
        all.setTimeout(timeout.multipliedBy(servers.size()).plus(timeout));
        return all;
    }

    /** Opens up the parser's protected entry point so any file can be read, not just the host's. */
    private static final class ResolvConfFile extends ResolvConfResolverConfigProvider {
        void parse(InputStream in) throws IOException {
            parseResolvConf(in);
        }
    }
}
