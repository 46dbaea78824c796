package dev.tug.node.services.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The resolvers names outside the cluster domain are forwarded to: the host's, unless told otherwise. */
public final class Upstream {

    private final Resolver resolver;
    private final List<InetSocketAddress> servers;

    public Upstream(List<InetSocketAddress> servers) {
        this.servers = List.copyOf(servers);
        ExtendedResolver resolver = new ExtendedResolver(servers.stream().map(server -> {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(Duration.ofSeconds(2));
            return (Resolver) simple;
        }).toList());
        resolver.setTimeout(Duration.ofSeconds(4));
        this.resolver = resolver;
    }

    /**
     * The host's nameservers ({@code /etc/resolv.conf}), leaving out {@code clusterDns} itself so
     * that a host pointed at the cluster DNS cannot make it ask itself.
     */
    public static Upstream fromHost(String clusterDns) {
        ResolverConfig.refresh();
        return new Upstream(ResolverConfig.getCurrentConfig().servers().stream()
                .filter(server -> !server.getAddress().getHostAddress().equals(clusterDns)).toList());
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    CompletionStage<Message> forward(Message query) {
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no upstream resolver"));
        }
        return resolver.sendAsync(query.clone());
    }
}
