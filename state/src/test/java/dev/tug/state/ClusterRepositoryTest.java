package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.NewCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterRepositoryTest {
    @TempDir
    Path dir;
    private FileStateStore store;
    private ClusterRepository repository;

    @BeforeEach
    void open() {
        store = new FileStateStore(dir);
        repository = new ClusterRepository(store);
    }

    private static NewCluster.Spec spec(String name) {
        NewCluster.Options options = new NewCluster.Options();
        options.name = name;
        options.cloud = "local";
        options.nodeCount = 2;
        return NewCluster.build(options);
    }

    private void create(String name) {
        NewCluster.Spec spec = spec(name);
        repository.create(spec.cluster(), spec.instanceGroups(), null);
    }

    @Test
    void createWritesTheDesignLayout() {
        create("demo");
        assertEquals(List.of("demo/config", "demo/instancegroup/control-plane-local", "demo/instancegroup/nodes-local",
                "demo/pki/ca.crt", "demo/pki/private/ca.key", "demo/secrets/admin"), store.list("demo/"));
        assertEquals(List.of("demo"), repository.clusterNames());
        Cluster cluster = repository.requireCluster("demo").value();
        assertTrue(cluster.metadata.creationTimestamp.endsWith("Z"));
        CertificateAuthority ca = CertificateAuthority.fromPem(store.read("demo/pki/ca.crt").orElseThrow().text(),
                store.read("demo/pki/private/ca.key").orElseThrow().text());
        assertEquals("CN=tug-ca.demo,O=tug", ca.certificate().getSubjectX500Principal().getName());
        assertTrue(ca.certificate().getBasicConstraints() >= 0, "a CA certificate");
        try {
            ca.certificate().verify(ca.certificate().getPublicKey());
            ca.certificate().checkValidity();
        } catch (Exception e) {
            throw new AssertionError("the CA must be self-signed and valid now", e);
        }
        assertEquals("RSA", ca.privateKey().getAlgorithm());
    }

    @Test
    void secondCreateOfTheSameNameFailsAndChangesNothing() {
        create("demo");
        String before = store.read("demo/pki/ca.crt").orElseThrow().version();
        StateStoreException e = assertThrows(StateStoreException.class, () -> create("demo"));
        assertTrue(e.getMessage().startsWith("cluster demo already exists"), e.getMessage());
        assertEquals(before, store.read("demo/pki/ca.crt").orElseThrow().version());
    }

    @Test
    void createAfterAnInterruptedCreateReplacesTheLeftovers() {
        // What a create killed before writing config leaves behind, plus a group the new spec does not have.
        store.write("demo/pki/ca.crt", "half".getBytes(), Precondition.none());
        store.write("demo/instancegroup/old-group", "half".getBytes(), Precondition.none());
        create("demo");
        assertEquals(List.of("control-plane-local", "nodes-local"),
                repository.instanceGroups("demo").stream().map(g -> g.value().name()).toList());
        assertTrue(store.read("demo/pki/ca.crt").orElseThrow().text().startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void concurrentChangeIsReportedNotOverwritten() {
        create("demo");
        Versioned<Cluster> mine = repository.requireCluster("demo");
        Versioned<Cluster> theirs = repository.requireCluster("demo");
        theirs.value().spec.nodePortAccess.add("10.0.0.0/8");
        repository.replaceCluster(theirs, theirs.value());

        mine.value().spec.sshAccess.add("192.0.2.0/24");
        ConflictException e = assertThrows(ConflictException.class, () -> repository.replaceCluster(mine, mine.value()));
        assertEquals("cluster demo was changed by someone else while Tug was writing it (demo/config); re-run the"
                + " command", e.getMessage());
        assertEquals(List.of("10.0.0.0/8"), repository.requireCluster("demo").value().spec.nodePortAccess);
    }

    @Test
    void instanceGroupsAreCreatedOnceAndReplacedByVersion() {
        create("demo");
        InstanceGroup extra = new InstanceGroup("demo", "gpu", "Node");
        repository.putInstanceGroup("demo", Optional.empty(), extra);
        assertThrows(ConflictException.class, () -> repository.putInstanceGroup("demo", Optional.empty(), extra));
        Versioned<InstanceGroup> stored = repository.instanceGroup("demo", "gpu").orElseThrow();
        stored.value().spec.minSize = 3;
        repository.putInstanceGroup("demo", Optional.of(stored), stored.value());
        assertEquals(3, repository.instanceGroup("demo", "gpu").orElseThrow().value().spec.minSize);
        assertThrows(ConflictException.class, () -> repository.putInstanceGroup("demo", Optional.of(stored), extra));
    }

    @Test
    void deleteRemovesOnlyTugKeysAndConfigLast() {
        create("demo");
        create("demo2");
        store.write("demo/notes.txt", "mine".getBytes(), Precondition.none());
        assertEquals(List.of("demo/notes.txt"), repository.foreignKeys("demo"));

        // An interrupted delete: everything but config already gone. Re-running must still find the cluster.
        List<String> keys = repository.ownedKeys("demo");
        keys.stream().filter(k -> !k.endsWith("/config")).forEach(store::delete);
        assertTrue(repository.cluster("demo").isPresent());

        repository.delete("demo", repository.ownedKeys("demo"));
        assertEquals(List.of("demo/notes.txt"), store.list("demo/"));
        assertEquals(List.of("demo2"), repository.clusterNames(), "other clusters are untouched");
        assertEquals(6, store.list("demo2/").size());
    }

    @Test
    void adminTokenIsMadeOnceAndKept() {
        create("demo");
        String token = repository.adminToken("demo");
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertEquals(token, repository.adminToken("demo"));
        assertEquals(List.of("admin"), repository.secretNames("demo"));
        assertEquals(java.util.Optional.empty(), repository.secret("demo", "other"));
        create("demo2");
        assertTrue(!repository.adminToken("demo2").equals(token), "each cluster has its own");

        // a cluster made before tokens existed gets one on first use, and keeps it
        store.delete("demo/secrets/admin");
        String made = repository.adminToken("demo");
        assertTrue(made.matches("[A-Za-z0-9_-]{43}") && !made.equals(token), made);
        assertEquals(made, repository.adminToken("demo"));
        assertThrows(ClusterNotFoundException.class, () -> repository.adminToken("nope"));
    }

    @Test
    void layoutKnowsItsKeys() {
        assertTrue(ClusterLayout.isOwned("demo", "demo/addons/dashboard/1.0.0.yaml"));
        assertTrue(ClusterLayout.isOwned("demo", "demo/machines/i-123"));
        assertTrue(ClusterLayout.isOwned("demo", "demo/secrets/admin-token"));
        assertTrue(!ClusterLayout.isOwned("demo", "demo/instancegroup/a/b"));
        assertTrue(!ClusterLayout.isOwned("demo", "demo2/config"));
    }
}
