package dev.tug.cli;

import dev.tug.state.testing.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, end to end: a local cluster from one command line, used with kubectl, and removed. */
class LocalClusterIT {
    private static final String NAME = "itlocal";
    private static ClusterCli cli;

    @AfterAll
    static void removeLeftovers() throws Exception {
        if (cli != null && cli.tug("get", "clusters").out().contains(NAME)) {
            cli.tug("delete", "cluster", NAME, "--yes");
        }
    }

    @Test
    void createValidateUseAndDelete() throws Exception {
        ExternalProcess.require("python3", "python3 must be on PATH: the test's pods run python3 -m http.server");
        cli = new ClusterCli(Path.of("target", "it-logs", "local-cluster"));
        ClusterCli.deleteRecursively(cli.work);
        cli = new ClusterCli(Path.of("target", "it-logs", "local-cluster"));

        var created = cli.tug("create", "cluster", NAME, "--cloud", "local", "--node-count", "2",
                "--network-cidr", "127.60.0.0/16", "--yes");
        assertEquals(0, created.exit(), created.all());
        assertTrue(created.err().contains("[nodes-local-2 (127.60.0.3)] started agent"), created.err());
        assertTrue(created.out().contains("kubectl --context " + NAME + " get nodes"), created.out());

        var validated = cli.tug("validate", "cluster", NAME, "--wait", "2m");
        assertEquals(0, validated.exit(), validated.all());
        assertTrue(validated.out().contains("Your cluster " + NAME + " is ready"), validated.out());
        assertTrue(validated.out().matches("(?s).*control-plane-local-1\\s+ControlPlane\\s+True\\s+127\\.60\\.0\\.1.*"),
                validated.out());
        var json = cli.tug("validate", "cluster", NAME, "-o", "json");
        assertTrue(json.out().contains("\"ready\": true") && json.out().contains("\"nodes-local-2\""), json.out());

        String nodes = cli.kubectl("--context", NAME, "get", "nodes", "-o", "name");
        assertEquals("node/control-plane-local-1\nnode/nodes-local-1\nnode/nodes-local-2\n", nodes);
        Path app = Files.writeString(cli.work.resolve("app.yaml"), ClusterCli.helloApp(30091));
        cli.kubectl("apply", "-f", app.toString());
        cli.kubectl("rollout", "status", "deployment/hello", "--timeout=90s");
        for (String node : new String[] {"127.60.0.2", "127.60.0.3"}) {
            String body = ClusterCli.awaitBody("http://" + node + ":30091/");
            assertTrue(body.startsWith("hello from hello-"), body);
        }

        long serverPid = Long.parseLong(Files.readString(cli.machines.resolve(NAME)
                .resolve("control-plane-local-1/var/lib/tug/run/server.pid")).strip());
        var again = cli.tug("update", "cluster", NAME, "--yes");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("No changes need to be applied"), again.all());
        assertEquals(3, again.err().lines().filter(l -> l.contains("] up to date")).count(), again.err());
        assertEquals(serverPid, Long.parseLong(Files.readString(cli.machines.resolve(NAME)
                .resolve("control-plane-local-1/var/lib/tug/run/server.pid")).strip()));

        var refused = cli.tug("update", "cluster", "no-such-cluster", "--yes");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().startsWith("Error: cluster no-such-cluster"), refused.err());

        var deleted = cli.tug("delete", "cluster", NAME, "--yes");
        assertEquals(0, deleted.exit(), deleted.all());
        assertTrue(deleted.out().contains("Deleted cluster: " + NAME), deleted.out());
        Thread.sleep(500);
        assertEquals(java.util.List.of(), ClusterCli.processesMentioning(cli.machines.toString()));
        assertEquals(java.util.List.of(), ClusterCli.processesMentioning("python3 -m http.server 8080 --bind 127.60."));
        assertFalse(Files.exists(cli.machines.resolve(NAME)), "the machines' directories are removed");
        assertFalse(Files.readString(cli.kubeconfig).contains(NAME), Files.readString(cli.kubeconfig));
        assertFalse(cli.tug("get", "clusters").all().contains(NAME));
        assertEquals(null, ClusterCli.httpGet("http://127.60.0.2:30091/"));
    }
}
