package dev.tug.cli;

import dev.tug.state.testing.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A metal cluster of 1 control-plane machine and 2 nodes, each an OpenSSH server on its own loopback address and
 * in its own mount namespace (private /opt/tug, /etc/tug, /var/lib/tug, /var/log/tug), set up over SSH.
 */
class MetalClusterIT {
    private static final String NAME = "itmetal";
    private static ClusterCli cli;
    private static SshMachines machines;

    @AfterAll
    static void removeLeftovers() throws Exception {
        if (cli != null && machines != null && cli.tug("get", "clusters").out().contains(NAME)) {
            cli.tug("delete", "cluster", NAME, "--yes", "-i", machines.privateKey().toString());
        }
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    void bootstrapOverSshValidateStopRestartAndDelete() throws Exception {
        ExternalProcess.require("python3", "python3 must be on PATH: the test's pods run python3 -m http.server");
        Path work = Path.of("target", "it-logs", "metal-cluster");
        ClusterCli.deleteRecursively(work);
        cli = new ClusterCli(work);
        machines = SshMachines.start(work.resolve("hosts").toAbsolutePath(), List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"));
        String key = machines.privateKey().toString();

        var created = cli.tug("create", "cluster", NAME, "--cloud", "metal", "--control-plane-hosts", machines.host(0),
                "--node-hosts", machines.host(1) + "," + machines.host(2), "--ssh-public-key",
                machines.publicKey().toString(), "--yes");
        assertEquals(0, created.exit(), created.all());
        assertTrue(created.err().contains("[127.0.0.3] connected; host key SHA256:"), created.err());
        assertTrue(created.err().contains("[127.0.0.2] started server, agent (supervise)"), created.err());
        // each machine has its own /opt/tug; the host's stays empty
        assertTrue(Files.isRegularFile(machines.root(1).resolve("opt/tug.jar")));
        assertFalse(Files.exists(Path.of("/opt/tug/tug.jar")));

        var validated = cli.tug("validate", "cluster", NAME, "--wait", "2m");
        assertEquals(0, validated.exit(), validated.all());
        assertTrue(validated.out().contains("Your cluster " + NAME + " is ready"), validated.out());

        Path app = Files.writeString(work.resolve("app.yaml"), ClusterCli.helloApp(30092));
        cli.kubectl("--context", NAME, "apply", "-f", app.toString());
        cli.kubectl("--context", NAME, "rollout", "status", "deployment/hello", "--timeout=90s");
        for (String node : List.of("127.0.0.3", "127.0.0.4")) {
            String body = ClusterCli.awaitBody("http://" + node + ":30092/");
            assertTrue(body.startsWith("hello from hello-"), body);
        }

        var again = cli.tug("update", "cluster", NAME, "--yes", "-i", key);
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("No changes need to be applied"), again.all());
        assertEquals(3, again.err().lines().filter(l -> l.contains("] up to date")).count(), again.err());

        // a node machine powered off: validate names it once its heartbeats are overdue
        machines.stop(2);
        var failed = awaitValidation(2, Duration.ofSeconds(120));
        assertTrue(failed.out().contains("node 127.0.0.4 is not ready: Kubelet stopped posting node status"),
                failed.out());
        assertTrue(failed.out().contains("Validation failed"), failed.out());
        assertFalse(failed.out().contains("node 127.0.0.3 "), failed.out());

        // powered on again: without systemd nothing starts by itself, update brings the agent back
        machines.start(2);
        var restarted = cli.tug("update", "cluster", NAME, "--yes", "-i", key);
        assertEquals(0, restarted.exit(), restarted.all());
        assertTrue(restarted.err().contains("[127.0.0.4] started agent"), restarted.err());
        assertEquals(0, cli.tug("validate", "cluster", NAME, "--wait", "2m").exit());

        // a machine answering with another host key is refused, and nothing on it changes
        machines.replaceHostKey(1);
        var refused = cli.tug("update", "cluster", NAME, "--yes", "-i", key);
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.err().contains("refusing root@127.0.0.3:" + machines.port() + ": its SSH host key is"),
                refused.err());
        assertTrue(refused.err().contains("[127.0.0.2] up to date"), refused.err());
        assertTrue(refused.err().contains("was really reinstalled, delete " + cli.state.toUri().toString()
                .replaceAll("/$", "") + "/" + NAME + "/machines/127.0.0.3"), refused.err());
        machines.restoreHostKey(1);

        var deleted = cli.tug("delete", "cluster", NAME, "--yes", "-i", key);
        assertEquals(0, deleted.exit(), deleted.all());
        for (int i = 0; i < 3; i++) {
            List<String> left = machines.processes(i).stream().map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains("java") || line.contains("python3")).toList();
            assertEquals(List.of(), left, "machine " + i);
            try (var files = Files.list(machines.root(i).resolve("opt"))) {
                assertEquals(List.of(), files.toList());
            }
        }
        assertFalse(cli.tug("get", "clusters").all().contains(NAME));
    }

    /** Runs validate until it exits with the given status. */
    private static ClusterCli.Result awaitValidation(int exit, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterCli.Result result;
        do {
            result = cli.tug("validate", "cluster", NAME);
            if (result.exit() == exit) {
                return result;
            }
            Thread.sleep(3000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("validate did not exit " + exit + " within " + timeout + ": " + result.all());
    }
}
