package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.model.Cluster;
import dev.tug.model.Manifests;
import dev.tug.state.testing.GcsApiServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spec life cycle with the state in gs:// (the GCS API test server), read back from the server directly. */
class GcsStateStoreCliTest extends CliTest {
    private static GcsApiServer gcs;

    @BeforeAll
    static void startServer() {
        gcs = GcsApiServer.start();
        gcs.createBucket("tug-gcs-state");
    }

    @AfterAll
    static void stopServer() {
        gcs.close();
    }

    @BeforeEach
    void pointAtServer() {
        env.put("STORAGE_EMULATOR_HOST", gcs.endpoint());
        env.put("TUG_STATE_STORE", "gs://tug-gcs-state/clusters");
    }

    @Test
    void createEditDeleteAgainstGcs() throws Exception {
        defaultSshKey();
        Result create = tug("create", "cluster", "gdemo", "--cloud", "gcp", "--zones", "europe-west1-b");
        assertEquals(0, create.exit(), create::toString);
        byte[] config = gcs.object("tug-gcs-state", "clusters/gdemo/config");
        assertTrue(config != null, "config stored under the prefix");
        assertEquals("europe-west1", Manifests.parseOne("config", new String(config, StandardCharsets.UTF_8),
                Cluster.class).spec.region);

        String yaml = tug("get", "clusters", "gdemo", "-o", "yaml").out();
        Result replace = tugWithInput(yaml.replace("sshUser: tug", "sshUser: ops"), "replace", "-f", "-");
        assertEquals(0, replace.exit(), replace::toString);
        assertTrue(new String(gcs.object("tug-gcs-state", "clusters/gdemo/config"), StandardCharsets.UTF_8)
                .contains("sshUser: ops"));

        assertEquals(0, tug("delete", "cluster", "gdemo", "--yes").exit());
        assertEquals(null, gcs.object("tug-gcs-state", "clusters/gdemo/config"));
        assertEquals(null, gcs.object("tug-gcs-state", "clusters/gdemo/pki/private/ca.key"));
    }

    @Test
    void missingBucketIsOneClearLine() {
        Result r = tug("get", "clusters", "--state", "gs://not-there");
        assertEquals(1, r.exit());
        assertEquals("Error: state store bucket not-there does not exist; create it with `gcloud storage buckets create"
                + " gs://not-there` or point --state at an existing bucket\n", r.err());
    }
}
