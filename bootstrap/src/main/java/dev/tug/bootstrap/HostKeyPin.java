package dev.tug.bootstrap;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

/**
 * Trust on first use: with nothing pinned yet any host key is accepted and remembered (the caller stores it);
 * once pinned, only that key is. A machine that answers with another key is refused.
 */
public final class HostKeyPin implements HostKeyVerifier {
    private final String pinned;
    private volatile String presented;

    /** {@code pinned} is a fingerprint as {@link #fingerprint} makes it, or null on first contact. */
    public HostKeyPin(String pinned) {
        this.pinned = pinned;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        presented = fingerprint(key);
        return pinned == null || pinned.equals(presented);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }

    public String pinned() {
        return pinned;
    }

    /** The fingerprint of the key the machine presented, once it has. */
    public String presented() {
        return presented;
    }

    /** OpenSSH's form ({@code ssh-keygen -l}): SHA256 of the key blob, base64 without padding. */
    public static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
