package dev.tug.state.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Starting the real stand-ins (moto_server, emulators) the tests use: find them, pick ports, wait until ready. */
public final class ExternalProcess {
    private ExternalProcess() {
    }

    /** The program on PATH, or a failure that says how to install it; tests never skip silently. */
    public static Path require(String program, String howToInstall) {
        return find(program).orElseThrow(() -> new IllegalStateException(program + " is not installed, and this"
                + " test needs it: " + howToInstall));
    }

    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":" + System.getProperty("user.home")
                + "/.pyenv/shims:/usr/local/bin:/usr/bin:/usr/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the command with output to a log file and waits until 127.0.0.1:port accepts connections. */
    public static Process startAndAwaitPort(List<String> command, int port, Path log, Duration timeout) {
        return startAndAwaitPort(command, java.util.Map.of(), port, log, timeout);
    }

    /** The same, with extra environment variables for the command. */
    public static Process startAndAwaitPort(List<String> command, java.util.Map<String, String> env, int port, Path log,
                                            Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return process;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not listen on port " + port + " within " + timeout
                    + ": " + Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a short command to completion and returns its output; fails on a non-zero exit. */
    public static String run(List<String> command, java.util.Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
