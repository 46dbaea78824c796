package dev.tug.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Runs setup on this machine, as the current user: the local cloud's machines are directories here. */
public final class LocalExecutor implements Executor {
    private final String host;

    public LocalExecutor(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public CommandResult run(String script) throws IOException {
        Process process = new ProcessBuilder("sh", "-s").start();
        ScriptStreams.Output output = ScriptStreams.exchange(script, process.getOutputStream(), process.getInputStream(),
                process.getErrorStream());
        try {
            return new CommandResult(process.waitFor(), output.stdout(), output.stderr());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running a script on " + host, e);
        }
    }

    @Override
    public void put(List<FileContent> files) throws IOException {
        for (FileContent file : files) {
            Path target = Path.of(file.path());
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tug-new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions(file.mode()))));
            try {
                try (InputStream source = file.open()) {
                    Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                // the umask trims what createTempFile was asked for
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions(file.mode())));
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public void close() {
    }

    /** "0755" as rwxr-xr-x. */
    static String permissions(String octal) {
        StringBuilder text = new StringBuilder();
        for (char digit : octal.substring(octal.length() - 3).toCharArray()) {
            int bits = digit - '0';
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }
}
