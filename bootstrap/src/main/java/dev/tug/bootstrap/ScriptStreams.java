package dev.tug.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Feeds a script to a running {@code sh -s} and collects what it prints, for both executors. */
final class ScriptStreams {
    private ScriptStreams() {
    }

    record Output(String stdout, String stderr) {
    }

    /** stderr is read on its own thread, so a script that fills one pipe while the other is read cannot stall. */
    static Output exchange(String script, OutputStream stdin, InputStream stdout, InputStream stderr) throws IOException {
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(stderr));
        try (stdin) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String output = readAll(stdout);
        return new Output(output, errors.join());
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
