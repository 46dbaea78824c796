package dev.tug.controlplane.kubeconfig;

import io.fabric8.kubernetes.api.model.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeconfigTest {

    @TempDir
    Path dir;

    @Test
    void mergeKeepsOtherContextsReplacesItsOwnAndRemoveTakesItBack() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: other
                  cluster: {server: https://other:6443}
                users:
                - name: other
                  user: {token: abc}
                contexts:
                - name: other
                  context: {cluster: other, user: other}
                current-context: other
                preferences: {}
                """);
        Kubeconfig.merge(file, new Kubeconfig.Entry("demo", "https://127.0.0.1:6443", "CA", "CERT", "KEY", null));
        Kubeconfig.merge(file, new Kubeconfig.Entry("demo", "https://127.0.0.1:7443", "CA", "CERT", "KEY", null));
        Config config = Kubeconfig.read(file);
        assertEquals("demo", config.getCurrentContext());
        assertEquals(2, config.getClusters().size(), "one entry per name");
        assertEquals("https://127.0.0.1:7443", config.getClusters().stream().filter(c -> c.getName().equals("demo"))
                .findFirst().orElseThrow().getCluster().getServer());
        assertEquals("abc", config.getUsers().get(0).getUser().getToken(), "the other user is untouched");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        assertTrue(Kubeconfig.remove(file, "demo"));
        Config after = Kubeconfig.read(file);
        assertEquals(1, after.getContexts().size());
        assertEquals("", after.getCurrentContext());
        assertFalse(Kubeconfig.remove(file, "demo"));
    }

    @Test
    void defaultPathFollowsKubectl() {
        assertEquals(Path.of("/a/one"), Kubeconfig.defaultPath(Map.of("KUBECONFIG", "/a/one:/b/two", "HOME", "/h")));
        assertEquals(Path.of("/h/.kube/config"), Kubeconfig.defaultPath(Map.of("HOME", "/h")));
    }
}
