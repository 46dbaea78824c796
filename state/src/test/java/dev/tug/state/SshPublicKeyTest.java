package dev.tug.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.state.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshPublicKeyTest {
    @TempDir
    Path dir;

    /** A key made by OpenSSH's ssh-keygen, whose own fingerprint is the reference. */
    private Path keygen(String type) {
        Path keygen = ExternalProcess.require("ssh-keygen", "apt-get install -y openssh-client");
        Path key = dir.resolve("id_" + type);
        ExternalProcess.run(List.of(keygen.toString(), "-q", "-t", type, "-N", "", "-C", "op@example", "-f",
                key.toString()), Map.of());
        return dir.resolve("id_" + type + ".pub");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void fingerprintMatchesSshKeygen(String type) {
        Path pub = keygen(type);
        String reference = ExternalProcess.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()),
                Map.of()).split(" ")[1];
        SshPublicKey key = SshPublicKey.read(pub);
        assertEquals(reference, key.fingerprint());
        assertEquals("op@example", key.comment());
        assertTrue(key.storageName().matches("[A-Za-z0-9_-]+"), "safe as a key path: " + key.storageName());
    }

    @Test
    void defaultsToEd25519ThenRsa() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Environment env = new Environment(Map.of("HOME", home.toString()));
        assertTrue(SshPublicKey.findDefault(env).isEmpty());
        Files.copy(keygen("rsa"), home.resolve(".ssh/id_rsa.pub"));
        assertEquals(home.resolve(".ssh/id_rsa.pub"), SshPublicKey.findDefault(env).orElseThrow());
        Files.copy(keygen("ed25519"), home.resolve(".ssh/id_ed25519.pub"));
        assertEquals(home.resolve(".ssh/id_ed25519.pub"), SshPublicKey.findDefault(env).orElseThrow());
    }

    @Test
    void badKeysAreRefusedWithTheReason() throws Exception {
        Path pub = keygen("ed25519");
        String line = Files.readString(pub).trim();
        assertTrue(assertThrows(StateStoreException.class, () -> SshPublicKey.parse("k", line.substring(0, 40)))
                .getMessage().startsWith("k is not an OpenSSH public key"));
        assertTrue(assertThrows(StateStoreException.class, () -> SshPublicKey.parse("k",
                line.replace("ssh-ed25519", "ssh-rsa"))).getMessage().startsWith("k is not an OpenSSH public key"));
        assertTrue(assertThrows(StateStoreException.class, () -> SshPublicKey.read(dir.resolve("id_ed25519")))
                .getMessage().contains("is a private key"));
        assertTrue(assertThrows(StateStoreException.class, () -> SshPublicKey.read(dir.resolve("missing.pub")))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(StateStoreException.class, () -> SshPublicKey.read(dir))
                .getMessage().startsWith("cannot read SSH public key"));
    }
}
