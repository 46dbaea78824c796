package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge cases an operator hits sooner or later: flags on parent commands, leftovers, odd names and files. */
class ReviewFindingsTest extends CliTest {

    @Test
    void stateFlagOnTheParentCommandIsHonoured() {
        String other = home.resolve("other-store").toString();
        Result r = tug("create", "--state", "file://" + other, "cluster", "alt", "--cloud", "local");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.isRegularFile(home.resolve("other-store/alt/config")));
        assertEquals(Map.of(), snapshot(), "nothing in the default store");
    }

    @Test
    void createFromFileAfterAnInterruptedCreate() throws Exception {
        String yaml = tug("create", "cluster", "x1", "--cloud", "local", "--dry-run").out();
        assertEquals(0, tugWithInput(yaml, "create", "-f", "-").exit());
        Files.delete(stateDir().resolve("x1/config"));
        Result again = tugWithInput(yaml, "create", "-f", "-");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(snapshot().containsKey("x1/config"));
    }

    @Test
    void jsonOutputReadsBackAndListsAreAlwaysLists() throws Exception {
        String json = tug("create", "cluster", "j1", "--cloud", "local", "--dry-run", "-o", "json").out();
        Result create = tugWithInput(json, "create", "-f", "-");
        assertEquals(0, create.exit(), create::toString);
        assertEquals("List", new ObjectMapper().readTree(tug("get", "clusters", "-o", "json").out())
                .get("kind").asText(), "one cluster listed is still a List");
        String groups = tug("get", "ig", "--name", "j1", "-o", "json").out();
        Result replace = tugWithInput(groups.replace("\"maxSize\": 1", "\"maxSize\": 4"), "replace", "-f", "-");
        assertEquals(0, replace.exit(), replace::toString);
        assertTrue(snapshot().get("j1/instancegroup/nodes-local").contains("maxSize: 4"));
    }

    @Test
    void namesThatCannotBeKeysAreOneLineErrors() {
        for (String[] args : new String[][] {{"get", "clusters", "../x"}, {"delete", "cluster", "a//b"},
                {"get", "ig", "--name", "../etc"}, {"edit", "ig", "demo", "../x"}}) {
            Result r = tug(args);
            assertEquals(1, r.exit(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertTrue(!r.err().contains("Exception"), r::toString);
        }
    }

    @Test
    void emptyValuesAndBareClustersAreClearErrors() {
        String bare = tug("create", "cluster", "b1", "--cloud", "local", "--dry-run").out().split("---\n")[0];
        Result noGroups = tugWithInput(bare, "create", "-f", "-");
        assertEquals(1, noGroups.exit());
        assertEquals("Error: cluster b1 is not valid: instancegroups: the cluster needs an instance group with role"
                + " ControlPlane\n", noGroups.err());

        String emptyAccess = bare.replace("  kubernetesAPIAccess:\n  - 0.0.0.0/0\n", "  kubernetesAPIAccess:\n");
        Result r = tugWithInput(emptyAccess + "---\napiVersion: tug.dev/v1alpha1\nkind: InstanceGroup\n"
                + "metadata:\n  name: cp\n  labels:\nspec:\n  role: ControlPlane\n", "create", "-f", "-");
        assertEquals(0, r.exit(), r::toString);

        Result nullItem = tugWithInput(bare.replace("  - 0.0.0.0/0\n", "  -\n"), "replace", "-f", "-");
        assertEquals("Error: standard input (document 1): spec.kubernetesAPIAccess[0]: must not be empty\n",
                nullItem.err());
    }

    @Test
    void anUnreadableConfigDoesNotHideOtherClusters() throws Exception {
        tug("create", "cluster", "good", "--cloud", "local");
        Files.createDirectories(stateDir().resolve("backup"));
        Files.writeString(stateDir().resolve("backup/config"), "hello\n");
        Result r = tug("get", "clusters");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("good "), r::toString);
        assertTrue(r.err().startsWith("Warning: skipping backup: "), r::toString);
    }
}
