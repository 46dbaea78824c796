package dev.tug.templates;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplatesTest {

    private static final Map<String, String> PATHS = Map.of("root", "/m 1", "opt", "/m 1/opt/tug", "jar",
            "/m 1/opt/tug/tug.jar", "bin", "/m 1/opt/tug/bin", "etc", "/m 1/etc/tug", "pki", "/m 1/etc/tug/pki",
            "lib", "/m 1/var/lib/tug", "run", "/m 1/var/lib/tug/run", "log", "/m 1/var/log/tug");

    @Test
    void quotesWhateverAWordHolds() throws Exception {
        String nasty = "it's $(rm -rf /) `x` \"y\"";
        Process echo = new ProcessBuilder("sh", "-c", "printf %s " + Templates.shellQuote(nasty)).start();
        assertEquals(nasty, new String(echo.getInputStream().readAllBytes()));
        assertEquals(0, echo.waitFor());
    }

    @Test
    void launcherQuotesEveryArgument() {
        String launcher = Templates.render("machine/component.sh", Map.of("component", Map.of("name", "agent",
                        "args", List.of("--node-labels", "a=b c"), "jvmOptions", List.of("-Xmx64m")),
                "java", "/usr/bin/java", "paths", PATHS, "cluster", "demo", "machine", "n1"));
        assertTrue(launcher.contains("exec '/usr/bin/java' '-Xmx64m' -jar '/m 1/opt/tug/tug.jar' agent"), launcher);
        assertTrue(launcher.contains("'a=b c'"), launcher);
    }

    @Test
    void scriptsAreValidShell(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, Object> model = Map.of("paths", PATHS, "systemdAllowed", true, "systemd", false,
                "files", List.of("/m 1/opt/tug/tug.jar"), "components", List.of("server", "agent"),
                "units", List.of(), "restart", List.of("agent"), "ensure", List.of("server"));
        for (String name : List.of("supervise.sh", "probe.sh", "start.sh", "teardown.sh", "install-java.sh")) {
            Path script = dir.resolve(name);
            Files.writeString(script, Templates.render("machine/" + name, model));
            Process check = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertEquals(0, check.waitFor(), name + ": " + output);
        }
    }

    @Test
    void aMissingValueFailsTheRender() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Templates.render("machine/supervise.sh", Map.of()));
        assertTrue(e.getMessage().contains("supervise.sh"), e.getMessage());
    }
}
