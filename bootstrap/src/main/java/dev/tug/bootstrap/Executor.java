package dev.tug.bootstrap;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Runs the setup of one machine: over SSH for real machines, directly for the local cloud. Scripts run with
 * root rights where the machine needs them; paths are the machine's own.
 */
public interface Executor extends AutoCloseable {

    /** How the machine is named in progress output and errors: its address. */
    String host();

    /** Runs a POSIX sh script. */
    CommandResult run(String script) throws IOException;

    /**
     * Writes each file whole, as a new file under the final name: a component running from the old
     * version (a JVM from the old jar) keeps reading the old content.
     */
    void put(List<FileContent> files) throws IOException;

    /** The text of a file, if it exists. */
    default Optional<String> readText(String path) throws IOException {
        String quoted = dev.tug.templates.Templates.shellQuote(path);
        CommandResult result = run("if [ -f " + quoted + " ]; then cat " + quoted + "; else exit 3; fi");
        if (result.exitCode() == 3) {
            return Optional.empty();
        }
        return Optional.of(result.orThrow("read " + path).stdout());
    }

    @Override
    void close();
}
