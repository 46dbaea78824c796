package dev.tug.node.runtime.process;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Hands out pod addresses from the node's pod range ({@code spec.podCIDR}). With the default
 * loopback ranges every address is already routed to this host, so a process can bind its own
 * address without root and two pods can both listen on one port.
 */
final class PodAddresses {

    private final Supplier<String> podCidr;
    private final Set<String> used = new HashSet<>();

    PodAddresses(Supplier<String> podCidr) {
        this.podCidr = podCidr;
    }

    synchronized void claim(String address) {
        used.add(address);
    }

    synchronized void release(String address) {
        used.remove(address);
    }

    synchronized String allocate() {
        String cidr = podCidr.get();
        if (cidr == null || cidr.isBlank()) {
            throw new IllegalStateException("the node has no pod range (spec.podCIDR) yet");
        }
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long base = toLong(parts[0]) & mask(prefix);
        long size = 1L << (32 - prefix);
        // skip the network address and the first host (the range's gateway by convention)
        for (long offset = 2; offset < size - 1; offset++) {
            String candidate = toAddress(base + offset);
            if (used.add(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free pod address left in " + cidr);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long toLong(String address) {
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 4) {
                throw new IllegalArgumentException("pod ranges must be IPv4: " + address);
            }
            long value = 0;
            for (byte b : bytes) {
                value = (value << 8) | (b & 0xFF);
            }
            return value;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    private static String toAddress(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
