package dev.tug.controlplane.server;

import dev.tug.controlplane.controllers.ControllerSettings;

import java.nio.file.Path;

/**
 * How {@code tug server} runs: where it listens, where its data lives, its TLS and
 * authentication material, and the controllers' tunables. Without certificate files it makes
 * its own CA in {@code dataDir/pki} and writes {@code dataDir/admin.kubeconfig} (see {@link LocalPki}).
 */
public record ServerConfig(String host, int port, Path dataDir, Path tlsCertFile, Path tlsKeyFile,
        Path clientCaFile, Path tokenAuthFile, String version, ControllerSettings controllers) {

    public ServerConfig(String host, int port, Path dataDir, Path tlsCertFile, Path tlsKeyFile, Path clientCaFile,
            Path tokenAuthFile, String version) {
        this(host, port, dataDir, tlsCertFile, tlsKeyFile, clientCaFile, tokenAuthFile, version,
                ControllerSettings.defaults());
    }

    public ServerConfig withTls(Path cert, Path key, Path clientCa) {
        return new ServerConfig(host, port, dataDir, cert, key, clientCa, tokenAuthFile, version, controllers);
    }

    public boolean hasTlsFiles() {
        return tlsCertFile != null || tlsKeyFile != null || clientCaFile != null;
    }
}
