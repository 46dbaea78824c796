package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single tug jar as an operator runs it: a separate JVM, real environment, real exit codes. */
class PackagedJarIT {
    @TempDir
    Path home;

    private record Run(int exit, String out, String err) {
    }

    private Run tug(String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "tug.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run after `mvn package`: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("TUG_STATE_STORE");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = process.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    @Test
    void specLifeCycleInTheDefaultStore() throws Exception {
        Run version = tug("version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().startsWith("tug "), version.out());

        Run create = tug("create", "cluster", "demo", "--cloud", "local", "--node-count", "2");
        assertEquals(0, create.exit(), create.err());
        assertTrue(Files.isRegularFile(home.resolve(".tug/state/demo/config")), "default store is ~/.tug/state");

        Run groups = tug("get", "ig", "--name", "demo", "-o", "yaml");
        assertTrue(groups.out().contains("name: nodes-local") && groups.out().contains("minSize: 2"), groups.out());

        Run bad = tug("create", "cluster", "demo", "--cloud", "local");
        assertEquals(1, bad.exit());
        assertEquals(1, bad.err().lines().count(), "one line: " + bad.err());
        assertTrue(bad.err().startsWith("Error: cluster demo already exists"), bad.err());

        Run delete = tug("delete", "cluster", "demo", "--yes");
        assertEquals(0, delete.exit(), delete.err());
        assertTrue(!Files.exists(home.resolve(".tug/state/demo")));
        assertEquals("", delete.err(), "no library logging noise on stderr");
    }
}
