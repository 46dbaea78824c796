package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** $EDITOR is a shell script here, standing in for the operator at the keyboard. */
class EditCommandTest extends CliTest {

    @BeforeEach
    void demo() {
        assertEquals(0, tug("create", "cluster", "demo", "--cloud", "local", "--node-count", "1").exit());
    }

    private void editor(String script) throws Exception {
        Path file = home.resolve("editor.sh");
        Files.writeString(file, "#!/bin/sh\nset -e\nf=\"$1\"\n" + script);
        file.toFile().setExecutable(true);
        env.put("EDITOR", file.toString());
    }

    @Test
    void editClusterStoresTheChange() throws Exception {
        editor("sed -i 's|  - 0.0.0.0/0|  - 198.51.100.0/24|' \"$f\"\n");
        Result r = tug("edit", "cluster", "demo");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("cluster/demo edited\n", r.out());
        Cluster stored = Manifests.parseOne("c", snapshot().get("demo/config"), Cluster.class);
        assertEquals(java.util.List.of("198.51.100.0/24"), stored.spec.kubernetesAPIAccess);
    }

    @Test
    void invalidEditReopensWithTheErrorsUntilFixed() throws Exception {
        // First pass writes a bad CIDR; the second pass records what it was shown, then fixes it.
        editor("""
                if [ ! -f "$HOME/pass1" ]; then
                  touch "$HOME/pass1"
                  sed -i 's|networkCIDR: 127.20.0.0/16|networkCIDR: 127.20.0.0/40|' "$f"
                else
                  cp "$f" "$HOME/shown-second-time"
                  sed -i 's|networkCIDR: 127.20.0.0/40|networkCIDR: 10.9.0.0/16|' "$f"
                fi
                """);
        Result r = tug("edit", "cluster", "demo");
        assertEquals(0, r.exit(), r::toString);
        String shown = Files.readString(home.resolve("shown-second-time"));
        assertTrue(shown.contains("#   spec.networkCIDR: 127.20.0.0/40 is not a valid CIDR"), shown);
        assertTrue(shown.contains("networkCIDR: 127.20.0.0/40"), "the operator's text is kept: " + shown);
        assertEquals("10.9.0.0/16", Manifests.parseOne("c", snapshot().get("demo/config"), Cluster.class)
                .spec.networkCIDR);
    }

    @Test
    void givingUpOnAnInvalidEditChangesNothingAndKeepsTheText() throws Exception {
        Map<String, String> before = snapshot();
        editor("sed -i 's|networkCIDR: 127.20.0.0/16|networkCIDR: nope|' \"$f\"\n");
        Result r = tug("edit", "cluster", "demo");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("Error: edit cancelled: cluster demo still has errors (spec.networkCIDR: nope is"
                + " not a valid CIDR); your version is in "), r::toString);
        String kept = r.err().substring(r.err().lastIndexOf("your version is in ") + 19).trim();
        assertTrue(Files.readString(Path.of(kept)).contains("networkCIDR: nope"));
        assertEquals(before, snapshot());
    }

    @Test
    void someoneElsesChangeDuringTheEditIsNotOverwritten() throws Exception {
        // While "our" editor is open, another operator replaces the cluster through tug itself.
        Path theirs = home.resolve("theirs.yaml");
        Files.writeString(theirs, tug("get", "clusters", "demo", "-o", "yaml").out()
                .replace("127.20.0.0/16", "10.1.0.0/16"));
        editor("java -cp \"" + System.getProperty("java.class.path") + "\" dev.tug.cli.Tug replace -f " + theirs
                + " >/dev/null\nsed -i 's|127.20.0.0/16|10.2.0.0/16|' \"$f\"\n");
        Result r = tug("edit", "cluster", "demo");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("Error: cluster demo was changed by someone else"), r::toString);
        String kept = r.err().substring(r.err().lastIndexOf("your version is in ") + 19).trim();
        assertTrue(Files.readString(Path.of(kept)).contains("networkCIDR: 10.2.0.0/16"));
        assertTrue(snapshot().get("demo/config").contains("networkCIDR: 10.1.0.0/16"), "their change stands");
    }

    @Test
    void unchangedEditIsCancelled() throws Exception {
        Map<String, String> before = snapshot();
        editor("true\n");
        Result r = tug("edit", "cluster", "demo");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Edit cancelled: no changes made.\n", r.err());
        assertEquals(before, snapshot());
    }

    @Test
    void editInstanceGroupByPositionalOrFlag() throws Exception {
        editor("sed -i 's|minSize: 1|minSize: 2|; s|maxSize: 1|maxSize: 2|' \"$f\"\n");
        Result r = tug("edit", "ig", "demo", "nodes-local");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("instancegroup/nodes-local edited\n", r.out());
        assertEquals(2, Manifests.parseOne("ig", snapshot().get("demo/instancegroup/nodes-local"),
                InstanceGroup.class).spec.minSize);

        editor("sed -i 's|name: nodes-local|name: renamed|' \"$f\"\n");
        Result rename = tug("edit", "instancegroup", "--name", "demo", "nodes-local");
        assertEquals(1, rename.exit());
        assertTrue(rename.err().contains("metadata.name cannot be changed (nodes-local -> renamed)"), rename::toString);
    }

    @Test
    void failingEditorChangesNothing() throws Exception {
        Map<String, String> before = snapshot();
        editor("exit 3\n");
        Result r = tug("edit", "cluster", "demo");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("exited with status 3; nothing changed"), r::toString);
        assertEquals(before, snapshot());
    }
}
