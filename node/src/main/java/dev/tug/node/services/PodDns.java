package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A pod's {@code /etc/resolv.conf} as its {@code dnsPolicy} asks: ClusterFirst points at the
 * cluster DNS with the namespace's search path and {@code ndots:5}, Default keeps the host's,
 * None is built from {@code dnsConfig} alone, which the other policies also merge in.
 */
public final class PodDns {

    private static final int MAX_SEARCHES = 32;

    private final Supplier<String> clusterDns;
    private final String clusterDomain;
    private final Path hostResolvConf;

    /** @param clusterDns the cluster DNS address, or null while there is none */
    public PodDns(Supplier<String> clusterDns, String clusterDomain, Path hostResolvConf) {
        this.clusterDns = clusterDns;
        this.clusterDomain = clusterDomain;
        this.hostResolvConf = hostResolvConf;
    }

    /** The file's text, or empty when the pod keeps the host's (policy Default, or no cluster DNS yet). */
    public Optional<String> resolvConf(Pod pod) {
        PodSpec spec = pod.getSpec();
        String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        boolean cluster = policy.equals("ClusterFirstWithHostNet") || policy.equals("ClusterFirst") && !hostNetwork;
        String dns = clusterDns.get();
        Set<String> nameservers = new LinkedHashSet<>();
        Set<String> searches = new LinkedHashSet<>();
        List<String> options = new ArrayList<>();
        if (cluster && dns != null) {
            String namespace = pod.getMetadata().getNamespace();
            nameservers.add(dns);
            searches.add(namespace + ".svc." + clusterDomain);
            searches.add("svc." + clusterDomain);
            searches.add(clusterDomain);
            searches.addAll(hostSearches());
            options.add("ndots:5");
        } else if (!policy.equals("None")) {
            return Optional.empty();
        }
        PodDNSConfig config = spec.getDnsConfig();
        if (config != null) {
            nameservers.addAll(config.getNameservers());
            searches.addAll(config.getSearches());
            for (PodDNSConfigOption option : config.getOptions()) {
                options.removeIf(o -> o.split(":")[0].equals(option.getName()));
                options.add(option.getValue() == null ? option.getName() : option.getName() + ":" + option.getValue());
            }
        }
        StringBuilder text = new StringBuilder();
        searches.stream().limit(MAX_SEARCHES).reduce((a, b) -> a + " " + b).ifPresent(s -> text.append("search ").append(s).append('\n'));
        nameservers.stream().limit(3).forEach(n -> text.append("nameserver ").append(n).append('\n'));
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return Optional.of(text.toString());
    }

    private List<String> hostSearches() {
        List<String> searches = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(hostResolvConf)) {
                String[] words = line.trim().split("\\s+");
                if (words.length > 1 && (words[0].equals("search") || words[0].equals("domain"))) {
                    searches.addAll(List.of(words).subList(1, words.length));
                }
            }
        } catch (IOException e) {
            // no host file: no host search domains
        }
        return searches;
    }
}
