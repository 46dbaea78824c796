package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.state.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole spec life cycle with the state in S3 (moto_server on loopback), checked with the aws CLI. */
class S3StateStoreCliTest extends CliTest {
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        moto.createBucket("tug-cli-state");
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void pointAtMoto() {
        env.putAll(moto.environment());
        env.put("TUG_STATE_STORE", "s3://tug-cli-state/clusters");
    }

    private String keysInBucket() {
        return moto.aws("s3api", "list-objects-v2", "--bucket", "tug-cli-state", "--prefix", "clusters/",
                "--query", "Contents[].Key");
    }

    @Test
    void createGetDeleteAgainstS3() {
        defaultSshKey();
        Result create = tug("create", "cluster", "s3demo.example.com", "--cloud", "aws", "--zones", "eu-west-1a");
        assertEquals(0, create.exit(), create::toString);
        String listing = keysInBucket();
        for (String key : new String[] {"config", "instancegroup/control-plane-eu-west-1a",
                "instancegroup/nodes-eu-west-1a", "pki/ca.crt", "pki/private/ca.key", "pki/ssh/public/admin/"}) {
            assertTrue(listing.contains("clusters/s3demo.example.com/" + key), key + " missing in\n" + listing);
        }
        String config = moto.aws("s3", "cp", "s3://tug-cli-state/clusters/s3demo.example.com/config", "-");
        assertTrue(config.contains("configBase: s3://tug-cli-state/clusters/s3demo.example.com"), config);

        Result get = tug("get", "clusters");
        assertTrue(get.out().contains("s3demo.example.com   aws     eu-west-1a"), get::toString);

        Result delete = tug("delete", "cluster", "s3demo.example.com", "--yes");
        assertEquals(0, delete.exit(), delete::toString);
        assertTrue(!keysInBucket().contains("s3demo.example.com/"), keysInBucket());
    }

    @Test
    void missingBucketIsOneClearLine() {
        Result r = tug("create", "cluster", "demo", "--cloud", "local", "--state", "s3://not-a-bucket-here");
        assertEquals(1, r.exit());
        assertEquals("Error: state store bucket not-a-bucket-here does not exist; create it with"
                + " `aws s3 mb s3://not-a-bucket-here` or point --state at an existing bucket\n", r.err());
    }

    @Test
    void unreachableEndpointIsOneClearLine() {
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + dev.tug.state.testing.ExternalProcess.freePort());
        Result r = tug("get", "clusters");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("Error: cannot reach S3 at " + env.get("AWS_ENDPOINT_URL")
                + " for state store s3://tug-cli-state/clusters: "), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }
}
