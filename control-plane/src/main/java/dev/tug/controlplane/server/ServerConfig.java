package dev.tug.controlplane.server;

import dev.tug.controlplane.controllers.ControllerSettings;
import dev.tug.controlplane.objects.ServiceNetwork;

import java.nio.file.Path;

/**
 * How {@code tug server} runs: where it listens, where its data lives, its TLS and
 * authentication material, the Service address ranges and the controllers' tunables. Without
 * certificate files it makes its own CA in {@code dataDir/pki} and writes
 * {@code dataDir/admin.kubeconfig} (see {@link LocalPki}).
 *
 * @param advertiseAddress the address the {@code kubernetes} Service's endpoint names; null for
 *        the listen address (or 127.0.0.1 when that is a wildcard)
 */
public record ServerConfig(String host, int port, Path dataDir, Path tlsCertFile, Path tlsKeyFile,
        Path clientCaFile, Path tokenAuthFile, String version, ControllerSettings controllers,
        ServiceNetwork services, String advertiseAddress) {

    public ServerConfig(String host, int port, Path dataDir, Path tlsCertFile, Path tlsKeyFile, Path clientCaFile,
            Path tokenAuthFile, String version) {
        this(host, port, dataDir, tlsCertFile, tlsKeyFile, clientCaFile, tokenAuthFile, version,
                ControllerSettings.defaults(), ServiceNetwork.defaults(), null);
    }

    public ServerConfig withTls(Path cert, Path key, Path clientCa) {
        return new ServerConfig(host, port, dataDir, cert, key, clientCa, tokenAuthFile, version, controllers,
                services, advertiseAddress);
    }

    public boolean hasTlsFiles() {
        return tlsCertFile != null || tlsKeyFile != null || clientCaFile != null;
    }

    /** Where in-cluster clients reach this server through the {@code kubernetes} Service. */
    public String endpointAddress() {
        if (advertiseAddress != null && !advertiseAddress.isBlank()) {
            return advertiseAddress;
        }
        boolean wildcard = host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
        return wildcard ? "127.0.0.1" : host;
    }
}
