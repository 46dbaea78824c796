package dev.tug.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-monitoring and pod-range flags of {@code tug server}: documented, and refused before anything starts when wrong. */
class ServerFlagsTest extends CliTest {

    @Test
    void helpExplainsTheFlagsAndTheirDefaults() {
        Result help = tug("server", "--help");
        assertEquals(0, help.exit(), help.toString());
        for (String expected : new String[] {"--node-monitor-grace-period", "Default: 40s", "--default-not-ready-toleration-seconds",
                "--default-unreachable-toleration-seconds", "--cluster-cidr", "127.128.0.0/10", "--node-cidr-mask-size", "Default: 24"}) {
            assertTrue(help.out().contains(expected), expected + " in\n" + help.out());
        }
    }

    @Test
    void wrongValuesAreRefusedWithTheFlagNamed() {
        String dataDir = home.resolve("server").toString();
        Result hostBits = tug("server", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--cluster-cidr", "10.244.1.0/16");
        assertNotEquals(0, hostBits.exit());
        assertTrue(hostBits.err().contains("--cluster-cidr") && hostBits.err().contains("did you mean 10.244.0.0/16"), hostBits.toString());

        Result mask = tug("server", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--cluster-cidr", "10.244.0.0/16",
                "--node-cidr-mask-size", "8");
        assertNotEquals(0, mask.exit());
        assertTrue(mask.err().contains("--node-cidr-mask-size"), mask.toString());

        Result grace = tug("server", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--node-monitor-grace-period", "soon");
        assertNotEquals(0, grace.exit());
        assertTrue(grace.err().contains("--node-monitor-grace-period takes a duration"), grace.toString());

        Result negative = tug("server", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--default-unreachable-toleration-seconds", "-1");
        assertNotEquals(0, negative.exit());
        assertTrue(negative.err().contains("cannot be negative"), negative.toString());
    }
}
