package dev.tug.state;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a cluster's state lives under {@code <store>/<cluster>/}. Only these keys are Tug's; delete removes
 * nothing else.
 */
public final class ClusterLayout {
    private static final String SEGMENT = "[^/]+";
    private static final List<Pattern> OWNED = List.of(
            Pattern.compile("config"),
            Pattern.compile("instancegroup/" + SEGMENT),
            Pattern.compile("pki/ca\\.crt"),
            Pattern.compile("pki/private/ca\\.key"),
            Pattern.compile("pki/ssh/public/admin/" + SEGMENT),
            Pattern.compile("secrets/" + SEGMENT),
            Pattern.compile("machines/" + SEGMENT),
            Pattern.compile("addons/" + SEGMENT + "/" + SEGMENT + "\\.yaml"));

    private ClusterLayout() {
    }

    public static String root(String cluster) {
        return cluster + "/";
    }

    public static String config(String cluster) {
        return cluster + "/config";
    }

    public static String instanceGroups(String cluster) {
        return cluster + "/instancegroup/";
    }

    public static String instanceGroup(String cluster, String group) {
        return instanceGroups(cluster) + group;
    }

    public static String caCertificate(String cluster) {
        return cluster + "/pki/ca.crt";
    }

    public static String caPrivateKey(String cluster) {
        return cluster + "/pki/private/ca.key";
    }

    public static String sshPublicKeys(String cluster) {
        return cluster + "/pki/ssh/public/admin/";
    }

    public static String sshPublicKey(String cluster, SshPublicKey key) {
        return sshPublicKeys(cluster) + key.storageName();
    }

    public static String secret(String cluster, String name) {
        return cluster + "/secrets/" + name;
    }

    public static String machine(String cluster, String id) {
        return cluster + "/machines/" + id;
    }

    public static String addon(String cluster, String name, String version) {
        return addonRecords(cluster, name) + version + ".yaml";
    }

    /** The prefix of an add-on's records, one per version applied. */
    public static String addonRecords(String cluster, String name) {
        return cluster + "/addons/" + name + "/";
    }

    /** Whether a key under the cluster's root is one Tug writes. */
    public static boolean isOwned(String cluster, String key) {
        if (!key.startsWith(root(cluster))) {
            return false;
        }
        String relative = key.substring(root(cluster).length());
        return OWNED.stream().anyMatch(p -> p.matcher(relative).matches());
    }

    /** The cluster a config key belongs to, or null when the key is not a cluster's config. */
    public static String clusterOfConfig(String key) {
        int slash = key.indexOf('/');
        return slash > 0 && key.substring(slash).equals("/config") ? key.substring(0, slash) : null;
    }
}
