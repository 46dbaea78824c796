package dev.tug.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHRuntimeException;

/** An OpenSSH public key line ("ssh-ed25519 AAAA... comment"), checked by sshj's key decoder. */
public record SshPublicKey(String type, byte[] blob, String comment) {

    public static SshPublicKey parse(String source, String text) {
        String line = text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst().orElseThrow(() -> new StateStoreException(source + " is empty; expected an OpenSSH"
                        + " public key such as the contents of ~/.ssh/id_ed25519.pub"));
        if (line.contains("PRIVATE KEY")) {
            throw new StateStoreException(source + " is a private key; pass the public key (the .pub file)");
        }
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 2) {
            throw notAKey(source);
        }
        byte[] blob;
        String type;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
            type = new Buffer.PlainBuffer(blob).readString();
            // sshj decodes the key material fully, so a truncated or mangled key is caught here.
            new Buffer.PlainBuffer(blob).readPublicKey();
        } catch (IllegalArgumentException | SSHException | SSHRuntimeException e) {
            throw notAKey(source);
        }
        if (!type.equals(parts[0])) {
            throw notAKey(source);
        }
        return new SshPublicKey(type, blob, parts.length == 3 ? parts[2] : "");
    }

    public static SshPublicKey read(Path path) {
        try {
            return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new StateStoreException("SSH public key " + path + " does not exist; pass --ssh-public-key PATH"
                    + " or create one with `ssh-keygen -t ed25519`");
        } catch (IOException e) {
            throw new StateStoreException("cannot read SSH public key " + path + ": " + e.getMessage());
        }
    }

    /** ~/.ssh/id_ed25519.pub, else ~/.ssh/id_rsa.pub. */
    public static Optional<Path> findDefault(Environment env) {
        for (String name : List.of("id_ed25519.pub", "id_rsa.pub")) {
            Path candidate = Path.of(env.home(), ".ssh", name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static StateStoreException notAKey(String source) {
        return new StateStoreException(source + " is not an OpenSSH public key (expected a line like"
                + " \"ssh-ed25519 AAAA... you@host\")");
    }

    /** The fingerprint ssh-keygen -l prints: SHA256:base64 without padding. */
    public String fingerprint() {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256());
    }

    /** The same fingerprint in a form safe inside a key path (URL-safe base64). */
    public String storageName() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256());
    }

    public String line() {
        return type + " " + Base64.getEncoder().encodeToString(blob) + (comment.isEmpty() ? "" : " " + comment);
    }

    private byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(blob);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
