package dev.tug.cloud.local;

import dev.tug.model.SpecException;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local cluster's share of the loopback range, a /16 of 127.0.0.0/8 (its networkCIDR): machines take
 * 127.B.0.1 to .254, Services 127.B.64.0/18, pods 127.B.128.0/17. Loopback addresses need no root on Linux, and
 * two local clusters with different blocks never meet.
 */
public record LocalNetwork(int block) {
    private static final Pattern FORM = Pattern.compile("^127\\.(\\d{1,3})\\.0\\.0/16$");
    /** Blocks offered to new clusters: clear of 127.0 (loopback proper) and the server's default ranges. */
    private static final int FIRST_FREE = 20;
    private static final int LAST_FREE = 95;
    public static final int MAX_MACHINES = 254;

    public static LocalNetwork parse(String networkCidr) {
        Matcher m = networkCidr == null ? null : FORM.matcher(networkCidr);
        if (m == null || !m.matches() || Integer.parseInt(m.group(1)) > 255 || Integer.parseInt(m.group(1)) == 0) {
            throw new SpecException("local clusters use a /16 of the loopback range as spec.networkCIDR, e.g."
                    + " 127.20.0.0/16, not " + networkCidr + "; change it with `tug edit cluster`");
        }
        return new LocalNetwork(Integer.parseInt(m.group(1)));
    }

    /**
     * The first block no other cluster uses and whose API address nothing answers on (a cluster of another state
     * store), for a new local cluster.
     */
    public static Optional<LocalNetwork> pickFree(Set<String> usedCidrs, Predicate<String> apiAddressAnswers) {
        for (int block = FIRST_FREE; block <= LAST_FREE; block++) {
            LocalNetwork candidate = new LocalNetwork(block);
            if (!usedCidrs.contains(candidate.cidr()) && !apiAddressAnswers.test(candidate.machineAddress(0))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public String cidr() {
        return "127." + block + ".0.0/16";
    }

    /** The i-th machine's address (0-based): the control plane is first, at 127.B.0.1. */
    public String machineAddress(int index) {
        if (index < 0 || index >= MAX_MACHINES) {
            throw new SpecException("a local cluster has at most " + MAX_MACHINES + " machines");
        }
        return "127." + block + ".0." + (index + 1);
    }

    public boolean isMachineAddress(String address) {
        return address != null && address.startsWith("127." + block + ".0.") && !address.endsWith(".0");
    }

    public String serviceCidr() {
        return "127." + block + ".64.0/18";
    }

    public String clusterCidr() {
        return "127." + block + ".128.0/17";
    }
}
