package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.state.testing.ExternalProcess;
import dev.tug.state.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The S3 backend against a real moto_server on loopback, checked independently with the aws CLI. */
class S3StateStoreTest extends StateStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static MotoServer moto;
    private String bucket;
    private StateStore store;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "tug-state-" + BUCKETS.incrementAndGet();
        moto.createBucket(bucket);
        store = StateStores.open("s3://" + bucket + "/team/prod", new Environment(moto.environment()));
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
    void objectsLandUnderThePrefixAsTheAwsCliSeesThem() {
        store.write("demo/config", "spec".getBytes(StandardCharsets.UTF_8), Precondition.absent());
        String listing = moto.aws("s3api", "list-objects-v2", "--bucket", bucket, "--query", "Contents[].Key");
        assertEquals("team/prod/demo/config", listing.trim());
        assertEquals("s3://" + bucket + "/team/prod", store.url());
    }

    @Test
    void missingBucketSaysHowToCreateIt() {
        StateStore missing = StateStores.open("s3://no-such-bucket", new Environment(moto.environment()));
        StateStoreException e = assertThrows(StateStoreException.class, missing::checkReachable);
        assertEquals("state store bucket no-such-bucket does not exist; create it with `aws s3 mb s3://no-such-bucket`"
                + " or point --state at an existing bucket", e.getMessage());
    }

    @Test
    void unreachableEndpointIsReported() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + ExternalProcess.freePort());
        StateStore nowhere = StateStores.open("s3://" + bucket, new Environment(env));
        StateStoreException e = assertThrows(StateStoreException.class, nowhere::checkReachable);
        assertTrue(e.getMessage().startsWith("cannot reach S3 at " + env.get("AWS_ENDPOINT_URL")), e.getMessage());
    }
}
