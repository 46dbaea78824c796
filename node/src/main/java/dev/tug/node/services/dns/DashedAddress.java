package dev.tug.node.services.dns;

import org.xbill.DNS.Address;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IP address written as one DNS label: 10.1.2.3 as {@code 10-1-2-3}, fd00::1 as {@code fd00--1}. */
final class DashedAddress {

    private DashedAddress() {
    }

    static String format(InetAddress address) {
        String text = address instanceof Inet6Address
                ? compressed((Inet6Address) address)
                : address.getHostAddress();
        return text.replace('.', '-').replace(':', '-');
    }

    static Optional<InetAddress> parse(String label) {
        // Four dash-separated parts can only be IPv4; anything else is tried as IPv6.
        int family = label.chars().filter(c -> c == '-').count() == 3 && !label.contains("--") ? Address.IPv4 : Address.IPv6;
        String text = family == Address.IPv4 ? label.replace('-', '.') : label.replace('-', ':');
        try {
            return Optional.of(Address.getByAddress(text, family));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Java prints IPv6 without "::" compression; DNS labels want the short form. */
    private static String compressed(Inet6Address address) {
        String full = address.getHostAddress();
        int zone = full.indexOf('%');
        if (zone >= 0) {
            full = full.substring(0, zone);
        }
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
