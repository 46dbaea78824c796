package dev.tug.node.runtime.process;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
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
        IPAddress range = new IPAddressString(cidr).getAddress();
        if (range == null || !range.isIPv4()) {
            throw new IllegalArgumentException("pod ranges must be IPv4 ranges, not " + cidr);
        }
        IPAddress block = range.toPrefixBlock();
        // skip the network address and the first host (the range's gateway by convention), and the broadcast address
        IPAddress first = block.getLower().withoutPrefixLength().increment(2);
        IPAddress last = block.getUpper().withoutPrefixLength().increment(-1);
        for (IPAddress candidate = first; candidate != null && candidate.compareTo(last) <= 0;
                candidate = candidate.increment(1)) {
            String address = candidate.toNormalizedString();
            if (used.add(address)) {
                return address;
            }
        }
        throw new IllegalStateException("no free pod address left in " + cidr);
    }
}
