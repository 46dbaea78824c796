package dev.tug.model;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Optional;

/** IPv4 CIDR blocks as the spec uses them; parsing and arithmetic come from the ipaddress library. */
public final class Cidr {
    private final IPAddress block;

    private Cidr(IPAddress block) {
        this.block = block;
    }

    /** A well-formed IPv4 CIDR whose address is the block's first address (10.0.0.0/8, not 10.1.0.0/8). */
    public static Optional<Cidr> parse(String text) {
        if (text == null || !text.contains("/")) {
            return Optional.empty();
        }
        IPAddress address = new IPAddressString(text.trim()).getAddress();
        if (address == null || !address.isIPv4() || !address.isPrefixed()) {
            return Optional.empty();
        }
        IPAddress block = address.toPrefixBlock();
        if (!block.getLower().equals(address.getLower())) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(block));
    }

    public boolean contains(Cidr other) {
        return block.contains(other.block);
    }

    public boolean overlaps(Cidr other) {
        return block.contains(other.block) || other.block.contains(block);
    }

    public int prefixLength() {
        return block.getNetworkPrefixLength();
    }

    /** The index-th block of the given (longer) prefix length inside this one, e.g. the 2nd /19 of a /16. */
    public Optional<Cidr> subBlock(int prefixLength, int index) {
        if (prefixLength < prefixLength() || prefixLength > 32) {
            return Optional.empty();
        }
        var blocks = block.setPrefixLength(prefixLength, false).prefixBlockIterator();
        for (int i = 0; blocks.hasNext(); i++) {
            IPAddress next = blocks.next();
            if (i == index) {
                return Optional.of(new Cidr(next));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return block.toCanonicalString();
    }
}
