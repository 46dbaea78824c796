package dev.tug.node.services;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks a backend for each new connection: round robin, or with {@code sessionAffinity: ClientIP}
 * the backend a client had before, while it is still there and the affinity has not timed out.
 */
final class Balancer {

    private record Sticky(InetSocketAddress backend, long lastUsedNanos) {
    }

    private final AtomicInteger next = new AtomicInteger();
    private final Map<InetAddress, Sticky> affinity = new ConcurrentHashMap<>();

    /** Null when there is no backend. {@code affinityTimeout} null means no affinity. */
    InetSocketAddress choose(List<InetSocketAddress> backends, InetAddress client, Duration affinityTimeout, int attempt) {
        if (backends.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        if (affinityTimeout != null && attempt == 0) {
            Sticky sticky = affinity.get(client);
            if (sticky != null && now - sticky.lastUsedNanos() < affinityTimeout.toNanos() && backends.contains(sticky.backend())) {
                affinity.put(client, new Sticky(sticky.backend(), now));
                return sticky.backend();
            }
        }
        InetSocketAddress chosen = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
        if (affinityTimeout != null) {
            affinity.put(client, new Sticky(chosen, now));
        }
        return chosen;
    }
}
