package dev.tug.controlplane.server;

import java.nio.file.Path;

/**
 * How {@code tug server} runs: where it listens, where its data lives, and its TLS and
 * authentication material. Without certificate files it makes its own CA in
 * {@code dataDir/pki} and writes {@code dataDir/admin.kubeconfig} (see {@link LocalPki}).
 */
public record ServerConfig(String host, int port, Path dataDir, Path tlsCertFile, Path tlsKeyFile,
        Path clientCaFile, Path tokenAuthFile, String version) {

    public boolean hasTlsFiles() {
        return tlsCertFile != null || tlsKeyFile != null || clientCaFile != null;
    }
}
