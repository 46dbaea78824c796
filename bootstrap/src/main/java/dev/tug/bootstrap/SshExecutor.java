package dev.tug.bootstrap;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.xfer.InMemorySourceFile;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.tug.templates.Templates.shellQuote;

/** Runs setup over SSH (sshj): key authentication, the host key pinned, scripts as root (sudo for other users). */
public final class SshExecutor implements Executor {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);

    private final SSHClient client;
    private final SshTarget target;
    private SFTPClient sftp;

    private SshExecutor(SSHClient client, SshTarget target) {
        this.client = client;
        this.target = target;
    }

    /**
     * Connects and authenticates, retrying with back-off while the machine is still booting (refused or timed-out
     * connections) for up to {@code patience}. A host key other than the pinned one, or refused credentials,
     * fail at once.
     */
    public static SshExecutor connect(SshTarget target, Path privateKey, HostKeyPin hostKey, Duration patience,
                                      Consumer<String> progress) throws IOException {
        Instant deadline = Instant.now().plus(patience);
        long backoffMillis = 500;
        while (true) {
            String lastError;
            SSHClient client = new SSHClient(new DefaultConfig());
            client.addHostKeyVerifier(hostKey);
            client.setConnectTimeout(10_000);
            client.setTimeout(60_000);
            try {
                client.connect(target.host(), target.port());
                if (privateKey != null) {
                    client.authPublickey(target.user(), client.loadKeys(privateKey.toString()));
                } else {
                    client.authPublickey(target.user());
                }
                return new SshExecutor(client, target);
            } catch (TransportException e) {
                closeQuietly(client);
                if (e.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
                    throw new HostKeyMismatchException("refusing " + target + ": its SSH host key is "
                            + hostKey.presented() + ", but this cluster pinned " + hostKey.pinned() + " on first contact");
                }
                if (!retryable(e) || Instant.now().isAfter(deadline)) {
                    throw new BootstrapException("cannot connect to " + target + ": " + describe(e), e);
                }
                lastError = describe(e);
            } catch (UserAuthException e) {
                closeQuietly(client);
                throw new BootstrapException("SSH login to " + target + " was refused: " + e.getMessage()
                        + (privateKey != null ? " (key " + privateKey + ")" : " (no --ssh-private-key given; tried"
                        + " ~/.ssh/id_ed25519, id_ecdsa and id_rsa)"), e);
            } catch (IOException e) {
                closeQuietly(client);
                if (!retryable(e) || Instant.now().isAfter(deadline)) {
                    throw new BootstrapException("cannot connect to " + target + ": " + describe(e)
                            + " (is the machine up, and its SSH server on port " + target.port() + "?)", e);
                }
                lastError = describe(e);
            }
            progress.accept("waiting for SSH: " + lastError + "; retrying in " + backoffMillis + " ms");
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    @Override
    public String host() {
        return target.host();
    }

    @Override
    public CommandResult run(String script) throws IOException {
        try (Session session = client.startSession()) {
            Session.Command command = session.exec(target.isRoot() ? "sh -s" : "sudo -n sh -s");
            ScriptStreams.Output output = ScriptStreams.exchange(script, command.getOutputStream(),
                    command.getInputStream(), command.getErrorStream());
            command.join(SCRIPT_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            Integer status = command.getExitStatus();
            return new CommandResult(status == null ? -1 : status, output.stdout(), output.stderr());
        }
    }

    /** Uploads into a private staging directory, then installs each file under its name as a new file. */
    @Override
    public void put(List<FileContent> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        if (sftp == null) {
            sftp = client.newSFTPClient();
        }
        String stage = "/tmp/.tug-stage-" + UUID.randomUUID();
        sftp.mkdir(stage);
        StringBuilder install = new StringBuilder("set -e\n");
        try {
            for (int i = 0; i < files.size(); i++) {
                FileContent file = files.get(i);
                String staged = stage + "/" + i;
                sftp.put(new Upload(file), staged);
                install.append("install -D -m ").append(file.mode()).append(' ').append(shellQuote(staged)).append(' ')
                        .append(shellQuote(file.path())).append('\n');
            }
        } finally {
            install.append("rm -rf ").append(shellQuote(stage)).append('\n');
        }
        run(install.toString()).orThrow("installing " + files.size() + " file(s)");
    }

    @Override
    public void close() {
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException e) {
                // the connection goes anyway
            }
        }
        closeQuietly(client);
    }

    private static boolean retryable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        // an SSH server still starting may drop the connection during the handshake
        return e instanceof TransportException;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for SSH", e);
        }
    }

    /** The machine answered with a host key other than the pinned one. */
    public static final class HostKeyMismatchException extends BootstrapException {
        HostKeyMismatchException(String message) {
            super(message);
        }
    }

    /** sshj's view of a file to send, from bytes or a local file. */
    private static final class Upload extends InMemorySourceFile {
        private final FileContent file;

        Upload(FileContent file) {
            this.file = file;
        }

        @Override
        public String getName() {
            return Path.of(file.path()).getFileName().toString();
        }

        @Override
        public long getLength() {
            try {
                return file.length();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return file.open();
        }
    }
}
