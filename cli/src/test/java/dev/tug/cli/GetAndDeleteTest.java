package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetAndDeleteTest extends CliTest {

    @Test
    void emptyStoreSaysSo() {
        Result r = tug("get", "clusters");
        assertEquals(0, r.exit());
        assertEquals("", r.out());
        assertEquals("No clusters found in file://" + stateDir() + ".\n", r.err());
    }

    @Test
    void getClustersTableYamlAndJson() throws Exception {
        tug("create", "cluster", "alpha", "--cloud", "local");
        tug("create", "cluster", "beta", "--cloud", "local");
        Result table = tug("get", "clusters");
        String[] lines = table.out().split("\n");
        assertEquals(3, lines.length, table::toString);
        assertTrue(lines[0].matches("NAME\\s+CLOUD\\s+ZONES\\s+CREATED"), lines[0]);
        assertTrue(lines[1].matches("alpha\\s+local\\s+local\\s+\\d{4}-\\d\\d-\\d\\dT.*Z"), lines[1]);
        assertTrue(lines[2].startsWith("beta "), lines[2]);

        JsonNode one = new ObjectMapper().readTree(tug("get", "cluster", "beta", "-o", "json").out());
        assertEquals("beta", one.at("/metadata/name").asText());
        JsonNode all = new ObjectMapper().readTree(tug("get", "clusters", "-o", "json").out());
        assertEquals(2, all.get("items").size());
        assertTrue(tug("get", "clusters", "-o", "yaml").out().contains("\n---\n"));
        Result missing = tug("get", "clusters", "gamma");
        assertEquals(1, missing.exit());
        assertEquals("Error: cluster gamma not found in state store file://" + stateDir()
                + "; `tug get clusters` lists the clusters there\n", missing.err());
    }

    @Test
    void secretsListPrintAndRefuseUnknownOnes() throws Exception {
        tug("create", "cluster", "alpha", "--cloud", "local", "--node-count", "0");
        Result list = tug("get", "secrets", "--name", "alpha");
        assertEquals(0, list.exit(), list::toString);
        assertEquals("NAME    TYPE\nadmin   Token\n", list.out());
        Result token = tug("get", "secrets", "admin", "--name", "alpha");
        assertTrue(token.out().matches("[A-Za-z0-9_-]{43}\n"), token.out());
        assertEquals(token.out(), tug("get", "secret", "admin").out(), "the only cluster is the default");
        JsonNode json = new ObjectMapper().readTree(tug("get", "secrets", "admin", "--name", "alpha", "-o", "json").out());
        assertEquals(token.out().strip(), json.get("items").get(0).get("value").asText());
        Result unknown = tug("get", "secrets", "ssh", "--name", "alpha");
        assertEquals(1, unknown.exit());
        assertEquals("Error: cluster alpha has no secret ssh; `tug get secrets --name alpha` lists them\n", unknown.err());
    }

    @Test
    void dashboardRefusesBadFlagsInOneLine() {
        Result url = tug("dashboard", "--server", "10.0.0.5:6443");
        assertEquals(1, url.exit());
        assertEquals("Error: --server must be a URL like https://10.0.0.5:6443, not \"10.0.0.5:6443\"\n", url.err());
        Result listen = tug("dashboard", "--server", "https://127.0.0.1:6443", "--listen", "nowhere");
        assertEquals(1, listen.exit());
        assertTrue(listen.err().startsWith("Error: --listen must be HOST:PORT"), listen.err());
        Result ca = tug("dashboard", "--server", "https://127.0.0.1:6443", "--certificate-authority", "/no/such/ca.crt");
        assertEquals("Error: cannot read --certificate-authority /no/such/ca.crt\n", ca.err());
    }

    @Test
    void instanceGroupsDefaultToTheOnlyCluster() {
        tug("create", "cluster", "alpha", "--cloud", "local", "--node-count", "0");
        Result r = tug("get", "ig");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("NAME                  ROLE           MACHINETYPE   MIN   MAX   ZONES\n"
                + "control-plane-local   ControlPlane   -             1     1     local\n", r.out());
        tug("create", "cluster", "beta", "--cloud", "local");
        Result ambiguous = tug("get", "instancegroups");
        assertEquals(1, ambiguous.exit());
        assertEquals("Error: --name is required (clusters: alpha, beta)\n", ambiguous.err());
    }

    @Test
    void deleteWithoutYesListsAndChangesNothing() {
        tug("create", "cluster", "demo", "--cloud", "local");
        Map<String, String> before = snapshot();
        Result r = tug("delete", "cluster", "demo");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Will delete state of cluster demo in file://" + stateDir() + ":\n"
                + "  demo/config\n  demo/instancegroup/control-plane-local\n  demo/instancegroup/nodes-local\n"
                + "  demo/pki/ca.crt\n  demo/pki/private/ca.key\n  demo/secrets/admin\n\nMust specify --yes to delete cluster demo.\n",
                r.out());
        assertEquals(before, snapshot());
    }

    @Test
    void deleteWithYesRemovesOnlyTugKeys() throws Exception {
        tug("create", "cluster", "demo", "--cloud", "local");
        tug("create", "cluster", "keep", "--cloud", "local");
        Files.writeString(stateDir().resolve("demo/README.txt"), "operator notes");
        Result r = tug("delete", "cluster", "--name", "demo", "--yes");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Leaving alone (not written by tug):\n  demo/README.txt\n"), r::toString);
        assertTrue(r.out().endsWith("Deleted cluster: demo\n"));
        assertEquals(java.util.Set.of("demo/README.txt"), snapshot().keySet().stream()
                .filter(k -> k.startsWith("demo/")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(6, snapshot().keySet().stream().filter(k -> k.startsWith("keep/")).count());
        assertEquals(1, tug("delete", "cluster", "demo", "--yes").exit(), "already gone");
    }

    @Test
    void deleteCleansUpAfterAnInterruptedCreate() throws Exception {
        tug("create", "cluster", "demo", "--cloud", "local");
        Files.delete(stateDir().resolve("demo/config"));
        Result r = tug("delete", "cluster", "demo", "--yes");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("an interrupted create or delete left state behind"), r::toString);
        assertEquals(Map.of(), snapshot());
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = tug("version");
        assertTrue(version.out().matches("tug \\S+ \\(tug.dev/v1alpha1, Java [0-9.]+\\)\n"), version.out());
        assertEquals("tug.dev/v1alpha1",
                new ObjectMapper().readTree(tug("version", "-o", "json").out()).get("apiVersion").asText());
        Result help = tug("create", "cluster", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--master-size, --control-plane-size") || help.out().contains(
                "--control-plane-size, --master-size"), help.out());
        assertTrue(help.out().contains("Examples:"), help.out());
        assertTrue(tug("--help").out().contains("Typical flow:"));
        Result verbose = tug("-v", "get", "clusters");
        assertTrue(verbose.err().startsWith("state store: file://"), verbose::toString);
    }
}
