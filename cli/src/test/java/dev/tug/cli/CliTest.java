package dev.tug.cli;

import dev.tug.state.Environment;
import dev.tug.state.testing.ExternalProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs real tug command lines in-process, each test with its own HOME and file state store. */
abstract class CliTest {
    @TempDir
    Path home;
    protected final Map<String, String> env = new HashMap<>();

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void isolate() {
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put(dev.tug.state.StateStores.ENV_VARIABLE, "file://" + stateDir());
    }

    protected Path stateDir() {
        return home.resolve("state");
    }

    protected Result tug(String... args) {
        return tugWithInput("", args);
    }

    protected Result tugWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Tug.run(args, new Environment(Map.copyOf(env)), out, err,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every file of the state store with its content: compared before and after to prove nothing was written. */
    protected Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(stateDir())) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(stateDir())) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(stateDir().relativize(file).toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.remove(".tug-lock");
        return files;
    }

    /** An ed25519 key pair made by ssh-keygen under $HOME/.ssh, where tug looks by default. */
    protected Path defaultSshKey() {
        Path ssh = home.resolve(".ssh");
        try {
            Files.createDirectories(ssh);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path keygen = ExternalProcess.require("ssh-keygen", "apt-get install -y openssh-client");
        ExternalProcess.run(List.of(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "op", "-f",
                ssh.resolve("id_ed25519").toString()), Map.of());
        return ssh.resolve("id_ed25519.pub");
    }

    protected static String sshFingerprint(Path publicKey) {
        return ExternalProcess.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()), Map.of())
                .split(" ")[1];
    }
}
