package dev.tug.state;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's state in a store. Every write names the version it read, so two operators changing one
 * cluster never silently overwrite each other. A cluster exists once its {@code config} exists: create
 * writes it last and delete removes it last, which makes both safe to re-run after an interruption.
 */
public final class ClusterRepository {
    /** The secret that holds the cluster's admin bearer token. */
    public static final String ADMIN_SECRET = "admin";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final StateStore store;

    public ClusterRepository(StateStore store) {
        this.store = store;
    }

    public StateStore store() {
        return store;
    }

    public List<String> clusterNames() {
        return store.list("").stream().map(ClusterLayout::clusterOfConfig).filter(n -> n != null).toList();
    }

    public Optional<Versioned<Cluster>> cluster(String name) {
        return read(ClusterLayout.config(name), Cluster.class);
    }

    public Versioned<Cluster> requireCluster(String name) {
        return cluster(name).orElseThrow(() -> new ClusterNotFoundException(name, store.url()));
    }

    public List<Versioned<InstanceGroup>> instanceGroups(String cluster) {
        List<Versioned<InstanceGroup>> groups = new ArrayList<>();
        for (String key : store.list(ClusterLayout.instanceGroups(cluster))) {
            read(key, InstanceGroup.class).ifPresent(groups::add);
        }
        return groups;
    }

    public Optional<Versioned<InstanceGroup>> instanceGroup(String cluster, String group) {
        return read(ClusterLayout.instanceGroup(cluster, group), InstanceGroup.class);
    }

    private <T> Optional<Versioned<T>> read(String key, Class<T> type) {
        return store.read(key).map(blob -> new Versioned<>(
                Manifests.parseOne(store.url() + "/" + key, blob.text(), type), blob.version()));
    }

    /**
     * Stores a new cluster with a new certificate authority, recording where its state lives (configBase).
     * Keys left by an interrupted create (everything but config) are replaced; a cluster that already exists,
     * or appears meanwhile, is an error and nothing of it is touched.
     */
    public void create(Cluster cluster, List<InstanceGroup> groups, SshPublicKey sshKey) {
        String name = cluster.name();
        requireNameFree(name);
        cluster.spec.configBase = store.url() + "/" + name;
        CertificateAuthority ca = CertificateAuthority.generate(name);
        String now = now();
        cluster.metadata.creationTimestamp = now;
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put(ClusterLayout.caCertificate(name), bytes(ca.certificatePem()));
        objects.put(ClusterLayout.caPrivateKey(name), bytes(ca.privateKeyPem()));
        if (sshKey != null) {
            objects.put(ClusterLayout.sshPublicKey(name, sshKey), bytes(sshKey.line() + "\n"));
        }
        objects.put(ClusterLayout.secret(name, ADMIN_SECRET), bytes(newToken() + "\n"));
        for (InstanceGroup group : groups) {
            group.metadata.creationTimestamp = now;
            objects.put(ClusterLayout.instanceGroup(name, group.name()), bytes(Manifests.toYaml(group)));
        }
        List<String> leftovers = new ArrayList<>(ownedKeys(name));
        leftovers.removeAll(objects.keySet());
        Map<String, String> written = new LinkedHashMap<>();
        try {
            for (String stale : leftovers) {
                store.delete(stale);
            }
            for (var entry : objects.entrySet()) {
                Precondition expected = Precondition.as(store.read(entry.getKey()));
                written.put(entry.getKey(), store.write(entry.getKey(), entry.getValue(), expected));
            }
            store.write(ClusterLayout.config(name), bytes(Manifests.toYaml(cluster)), Precondition.absent());
        } catch (ConflictException e) {
            throw changedBySomeoneElse(name, e);
        }
        for (var entry : written.entrySet()) {
            String current = store.read(entry.getKey()).map(Blob::version).orElse(null);
            if (!entry.getValue().equals(current)) {
                throw changedBySomeoneElse(name, new ConflictException(entry.getKey(), entry.getKey()));
            }
        }
    }

    /**
     * The cluster's admin bearer token ({@code secrets/admin}), which its API server accepts as a cluster admin and
     * the dashboard takes at sign-in. Clusters created before tokens existed get one on first use; when two
     * updates race, the one stored first wins.
     */
    public String adminToken(String cluster) {
        requireCluster(cluster);
        String key = ClusterLayout.secret(cluster, ADMIN_SECRET);
        if (store.read(key).isEmpty()) {
            try {
                store.write(key, bytes(newToken() + "\n"), Precondition.absent());
            } catch (ConflictException e) {
                // made meanwhile by another update: that one is the token
            }
        }
        return secret(cluster, ADMIN_SECRET).orElseThrow();
    }

    /** A stored secret's value, or empty when the cluster has none of that name. */
    public Optional<String> secret(String cluster, String name) {
        return store.read(ClusterLayout.secret(cluster, name))
                .map(b -> new String(b.data(), java.nio.charset.StandardCharsets.UTF_8).strip());
    }

    /** The names of the cluster's stored secrets. */
    public List<String> secretNames(String cluster) {
        String prefix = ClusterLayout.secret(cluster, "");
        return store.list(prefix).stream().map(k -> k.substring(prefix.length())).filter(n -> !n.contains("/")).toList();
    }

    /** 32 random bytes, URL-safe base64: a token as hard to guess as a 256-bit key. */
    private static String newToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The cluster's CA, which signs its API server's and clients' certificates. */
    public CertificateAuthority certificateAuthority(String cluster) {
        requireCluster(cluster);
        String certificate = store.read(ClusterLayout.caCertificate(cluster)).map(b -> new String(b.data(),
                java.nio.charset.StandardCharsets.US_ASCII)).orElse(null);
        String key = store.read(ClusterLayout.caPrivateKey(cluster)).map(b -> new String(b.data(),
                java.nio.charset.StandardCharsets.US_ASCII)).orElse(null);
        if (certificate == null || key == null) {
            throw new StateStoreException("cluster " + cluster + " has no CA in " + store.url()
                    + " (" + ClusterLayout.caCertificate(cluster) + "); re-create the cluster");
        }
        return CertificateAuthority.fromPem(certificate, key);
    }

    public void requireNameFree(String name) {
        if (store.read(ClusterLayout.config(name)).isPresent()) {
            throw new StateStoreException("cluster " + name + " already exists in " + store.url()
                    + "; choose another name, or change it with `tug edit cluster " + name + "`");
        }
    }

    public void replaceCluster(Versioned<Cluster> current, Cluster updated) {
        updated.metadata.creationTimestamp = current.value().metadata.creationTimestamp;
        // Set by create from where the state lives; a file written by hand need not repeat it.
        if (updated.spec.configBase == null) {
            updated.spec.configBase = current.value().spec.configBase;
        }
        write(updated.name(), ClusterLayout.config(updated.name()), Manifests.toYaml(updated),
                Precondition.matches(current.version()));
    }

    /** Creates the group when {@code current} is empty, else replaces exactly the version that was read. */
    public void putInstanceGroup(String cluster, Optional<Versioned<InstanceGroup>> current, InstanceGroup updated) {
        updated.metadata.creationTimestamp = current.map(v -> v.value().metadata.creationTimestamp)
                .orElse(now());
        write(cluster, ClusterLayout.instanceGroup(cluster, updated.name()), Manifests.toYaml(updated),
                current.map(v -> Precondition.matches(v.version())).orElse(Precondition.absent()));
    }

    private void write(String cluster, String key, String yaml, Precondition precondition) {
        try {
            store.write(key, bytes(yaml), precondition);
        } catch (ConflictException e) {
            throw changedBySomeoneElse(cluster, e);
        }
    }

    /** The admin SSH public keys stored for the cluster, which cloud machines are given. */
    public List<SshPublicKey> sshPublicKeys(String cluster) {
        List<SshPublicKey> keys = new ArrayList<>();
        for (String key : store.list(ClusterLayout.sshPublicKeys(cluster))) {
            store.read(key).ifPresent(blob -> keys.add(SshPublicKey.parse(key,
                    new String(blob.data(), java.nio.charset.StandardCharsets.US_ASCII))));
        }
        return keys;
    }

    /** Every key of the cluster's layout that is in the store. */
    public List<String> ownedKeys(String cluster) {
        return store.list(ClusterLayout.root(cluster)).stream().filter(k -> ClusterLayout.isOwned(cluster, k)).toList();
    }

    /** Keys under the cluster's folder that Tug did not write; delete leaves them alone. */
    public List<String> foreignKeys(String cluster) {
        return store.list(ClusterLayout.root(cluster)).stream().filter(k -> !ClusterLayout.isOwned(cluster, k))
                .toList();
    }

    /** Removes the given keys of the cluster, its config last so an interrupted delete can be re-run. */
    public void delete(String cluster, List<String> keys) {
        String config = ClusterLayout.config(cluster);
        for (String key : keys) {
            if (!key.equals(config)) {
                store.delete(key);
            }
        }
        if (keys.contains(config)) {
            store.delete(config);
        }
    }

    private static ConflictException changedBySomeoneElse(String cluster, ConflictException cause) {
        return new ConflictException(cause.key(), "cluster " + cluster + " was changed by someone else while Tug"
                + " was writing it (" + cause.key() + "); re-run the command");
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
