package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateClusterTest extends CliTest {

    @Test
    void localClusterNeedsNoKeyAndStoresSpecGroupsAndCa() {
        Result r = tug("create", "cluster", "demo", "--cloud", "local", "--node-count", "2");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("cluster/demo created\ninstancegroup/control-plane-local created\n"
                + "instancegroup/nodes-local created\n"), r::toString);
        assertEquals(List.of("demo/config", "demo/instancegroup/control-plane-local", "demo/instancegroup/nodes-local",
                "demo/pki/ca.crt", "demo/pki/private/ca.key", "demo/secrets/admin"), List.copyOf(snapshot().keySet()));
        Cluster stored = Manifests.parseOne("config", snapshot().get("demo/config"), Cluster.class);
        assertEquals("file://" + stateDir() + "/demo", stored.spec.configBase);
    }

    @Test
    void awsClusterStoresTheSshKeyUnderItsFingerprint() {
        Path key = defaultSshKey();
        Result r = tug("create", "cluster", "demo.example.com", "--cloud", "aws", "--zones", "us-east-1a,us-east-1b",
                "--node-count", "3", "--master-size", "c5.large", "--master-count", "3", "--node-size", "m5.large",
                "--admin-access", "203.0.113.0/24", "--cloud-labels", "team=infra,env=prod");
        assertEquals(0, r.exit(), r::toString);
        String fingerprint = sshFingerprint(key).substring("SHA256:".length()).replace('+', '-').replace('/', '_');
        Map<String, String> state = snapshot();
        String storedKey = state.get("demo.example.com/pki/ssh/public/admin/" + fingerprint);
        assertTrue(storedKey != null, "key stored as " + fingerprint + ": " + state.keySet());
        assertEquals(readTrimmed(key), storedKey.trim());

        Result groups = tug("get", "ig", "--name", "demo.example.com");
        assertEquals("""
                NAME                       ROLE           MACHINETYPE   MIN   MAX   ZONES
                control-plane-us-east-1a   ControlPlane   c5.large      2     2     us-east-1a
                control-plane-us-east-1b   ControlPlane   c5.large      1     1     us-east-1b
                nodes-us-east-1a           Node           m5.large      2     2     us-east-1a
                nodes-us-east-1b           Node           m5.large      1     1     us-east-1b
                """, groups.out(), groups::toString);
        Cluster cluster = Manifests.parseOne("config", state.get("demo.example.com/config"), Cluster.class);
        assertEquals(List.of("203.0.113.0/24"), cluster.spec.kubernetesAPIAccess);
        assertEquals(List.of("203.0.113.0/24"), cluster.spec.sshAccess);
        assertEquals("prod", cluster.spec.cloudLabels.get("env"));
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void dryRunPrintsYamlThatCreateReadsBackAndWritesNothing() {
        Result dry = tug("create", "cluster", "demo", "--cloud", "gcp", "--zones", "us-central1-a", "--dry-run",
                "-o", "yaml");
        assertEquals(0, dry.exit(), dry::toString);
        assertEquals(Map.of(), snapshot());
        List<Object> objects = Manifests.parse("dry-run", dry.out());
        assertEquals(3, objects.size());
        assertTrue(objects.get(1) instanceof InstanceGroup);

        defaultSshKey();
        Result create = tugWithInput(dry.out(), "create", "-f", "-");
        assertEquals(0, create.exit(), create::toString);
        assertEquals("cluster/demo created\ninstancegroup/control-plane-us-central1-a created\n"
                + "instancegroup/nodes-us-central1-a created\n", create.out());
    }

    @Test
    void dryRunJson() throws Exception {
        Result dry = tug("create", "cluster", "demo", "--cloud", "local", "--dry-run", "-o", "json");
        JsonNode list = new ObjectMapper().readTree(dry.out());
        assertEquals("List", list.get("kind").asText());
        assertEquals("Cluster", list.get("items").get(0).get("kind").asText());
    }

    @Test
    void badInputGivesOneLineNonZeroExitAndWritesNothing() throws Exception {
        assertEquals(0, tug("create", "cluster", "existing", "--cloud", "local").exit());
        Map<String, String> before = snapshot();
        Path garbageKey = home.resolve("garbage.pub");
        Files.writeString(garbageKey, "this is not a key\n");

        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("create", "cluster", "x", "--cloud", "azure"),
                "Error: unknown cloud \"azure\"; use one of aws, gcp, local, metal");
        cases.put(List.of("create", "cluster", "Bad_Name", "--cloud", "local"),
                "Error: \"Bad_Name\" is not a valid cluster name: use lowercase letters, digits, '-' and '.', starting"
                        + " and ending with a letter or digit, at most 63 characters");
        cases.put(List.of("create", "cluster", "existing", "--cloud", "local"),
                "Error: cluster existing already exists in file://" + stateDir()
                        + "; choose another name, or change it with `tug edit cluster existing`");
        cases.put(List.of("create", "cluster", "x", "--cloud", "aws", "--zones", "us-east-1a,eu-west-1a"),
                "Error: cannot create cluster x: --zones: zone eu-west-1a does not belong to region us-east-1 (it is"
                        + " in eu-west-1); all zones of a cluster must be in one region");
        cases.put(List.of("create", "cluster", "x", "--cloud", "aws", "--zones", "us-east-1a", "--region", "us-west-2"),
                "Error: cannot create cluster x: --zones: zone us-east-1a does not belong to region us-west-2 (it is"
                        + " in us-east-1); all zones of a cluster must be in one region");
        cases.put(List.of("create", "cluster", "x", "--cloud", "aws", "--zones", "us-east-1a"),
                "Error: no SSH public key found (looked for ~/.ssh/id_ed25519.pub and ~/.ssh/id_rsa.pub); pass"
                        + " --ssh-public-key PATH or create one with `ssh-keygen -t ed25519`");
        cases.put(List.of("create", "cluster", "x", "--cloud", "aws", "--zones", "us-east-1a", "--ssh-public-key",
                home.resolve("nope.pub").toString()),
                "Error: SSH public key " + home.resolve("nope.pub") + " does not exist; pass --ssh-public-key PATH or"
                        + " create one with `ssh-keygen -t ed25519`");
        cases.put(List.of("create", "cluster", "x", "--cloud", "aws", "--zones", "us-east-1a", "--ssh-public-key",
                garbageKey.toString()),
                "Error: " + garbageKey + " is not an OpenSSH public key (expected a line like \"ssh-ed25519 AAAA..."
                        + " you@host\")");
        cases.put(List.of("create", "cluster", "x", "--cloud", "local", "--ssh-public-key", home.toString()),
                "Error: cannot read SSH public key " + home + ": Is a directory");
        cases.put(List.of("create", "cluster", "x", "--cloud", "local", "--network-cidr", "10.0.0.0/33"),
                "Error: cannot create cluster x: spec.networkCIDR: 10.0.0.0/33 is not a valid CIDR");
        cases.put(List.of("create", "cluster", "x", "--cloud", "local", "--state", "ftp://somewhere"),
                "Error: unsupported state store ftp://somewhere; use s3://bucket[/prefix], gs://bucket[/prefix] or"
                        + " file:///path");
        for (var c : cases.entrySet()) {
            Result r = tug(c.getKey().toArray(String[]::new));
            assertEquals(1, r.exit(), () -> c.getKey() + "\n" + r);
            assertEquals(c.getValue() + "\n", r.err(), () -> c.getKey() + "\n" + r);
            assertEquals("", r.out(), () -> c.getKey() + "\n" + r);
            assertEquals(before, snapshot(), () -> c.getKey() + " changed the state store");
        }
    }

    @Test
    void usageErrorsExitTwoAndPointAtHelp() {
        Result r = tug("create", "cluster", "x");
        assertEquals(2, r.exit());
        assertEquals("Error: Missing required option: '--cloud=CLOUD'\nRun 'tug create cluster --help' for usage.\n",
                r.err());
        assertEquals(2, tug("create", "cluster", "x", "--cloud", "local", "--node-count", "many").exit());
    }

    @Test
    void yesOnGcpStoresTheSpecAndSaysProvisioningIsNotHereYet() {
        defaultSshKey();
        Result r = tug("create", "cluster", "demo.example.com", "--cloud", "gcp", "--zones", "us-central1-a", "--yes");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("this version of tug does not build gcp clusters; the spec is stored"), r::toString);
        assertTrue(snapshot().containsKey("demo.example.com/config"));
    }

    @Test
    void metalClusterFromHosts() {
        defaultSshKey();
        Result r = tug("create", "cluster", "lab", "--cloud", "metal", "--control-plane-hosts", "127.0.0.2",
                "--node-hosts", "127.0.0.3,127.0.0.4:2222");
        assertEquals(0, r.exit(), r::toString);
        InstanceGroup nodes = Manifests.parseOne("ig", snapshot().get("lab/instancegroup/nodes-metal"),
                InstanceGroup.class);
        assertEquals(List.of("127.0.0.3", "127.0.0.4:2222"), nodes.spec.hosts);
        assertEquals(2, nodes.spec.minSize);
    }
}
