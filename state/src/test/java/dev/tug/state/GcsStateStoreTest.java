package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tug.state.testing.GcsApiServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GCS backend through the real Google Cloud Java client over HTTP, against the GCS API test server. */
class GcsStateStoreTest extends StateStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static GcsApiServer gcs;
    private String bucket;
    private StateStore store;

    @BeforeAll
    static void startServer() {
        gcs = GcsApiServer.start();
    }

    @AfterAll
    static void stopServer() {
        gcs.close();
    }

    static Environment environment() {
        return new Environment(Map.of("STORAGE_EMULATOR_HOST", gcs.endpoint(), "GOOGLE_CLOUD_PROJECT", "tug-test"));
    }

    @BeforeEach
    void freshBucket() {
        bucket = "tug-gcs-" + BUCKETS.incrementAndGet();
        gcs.createBucket(bucket);
        store = StateStores.open("gs://" + bucket + "/team", environment());
        store.checkReachable();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    void objectsLandUnderThePrefix() {
        store.write("demo/config", "spec".getBytes(StandardCharsets.UTF_8), Precondition.absent());
        assertArrayEquals("spec".getBytes(StandardCharsets.UTF_8), gcs.object(bucket, "team/demo/config"));
        assertEquals("gs://" + bucket + "/team", store.url());
    }

    @Test
    void missingBucketSaysHowToCreateIt() {
        StateStore missing = StateStores.open("gs://no-such-bucket", environment());
        StateStoreException e = assertThrows(StateStoreException.class, missing::checkReachable);
        assertEquals("state store bucket no-such-bucket does not exist; create it with `gcloud storage buckets create"
                + " gs://no-such-bucket` or point --state at an existing bucket", e.getMessage());
    }
}
