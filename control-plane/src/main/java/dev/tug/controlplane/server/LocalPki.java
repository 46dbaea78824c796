package dev.tug.controlplane.server;

import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.state.CertificateAuthority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Certificates for a server started without any: a CA of its own under {@code dataDir/pki}
 * (made once, reused after), a serving certificate for the listen address, and an admin
 * kubeconfig next to the data, so {@code tug server --data-dir D} is usable at once with
 * {@code kubectl --kubeconfig D/admin.kubeconfig}.
 */
final class LocalPki {

    static final String ADMIN_KUBECONFIG = "admin.kubeconfig";
    private static final Duration VALIDITY = Duration.ofDays(365);

    private LocalPki() {
    }

    static ServerConfig ensure(ServerConfig config) throws IOException {
        Path pki = config.dataDir().resolve("pki");
        Files.createDirectories(pki);
        Path caCert = pki.resolve("ca.crt");
        CertificateAuthority ca = authority(config.dataDir());
        // in-cluster clients come through the kubernetes Service's cluster IP
        List<String> names = new java.util.ArrayList<>(List.of(config.host(), "localhost", "127.0.0.1",
                config.services().kubernetesServiceIp()));
        names.addAll(CertificateAuthority.IN_CLUSTER_API_NAMES);
        CertificateAuthority.IssuedCertificate serving = ca.issue("tug-apiserver", List.of(), names, false, VALIDITY);
        Path servingCert = pki.resolve("apiserver.crt");
        Path servingKey = pki.resolve("apiserver.key");
        Files.writeString(servingCert, serving.certificatePem());
        writePrivate(servingKey, serving.privateKeyPem());
        return config.withTls(servingCert, servingKey, caCert);
    }

    /** Written once the server is bound, so the URL carries the real port. */
    static Path writeAdminKubeconfig(Path dataDir, String url) throws IOException {
        CertificateAuthority ca = authority(dataDir);
        CertificateAuthority.IssuedCertificate admin = ca.issue("admin", List.of("system:masters"), List.of(), true,
                VALIDITY);
        Path kubeconfig = dataDir.resolve(ADMIN_KUBECONFIG);
        Files.deleteIfExists(kubeconfig);
        Kubeconfig.merge(kubeconfig, new Kubeconfig.Entry("tug-local", url, ca.certificatePem(),
                admin.certificatePem(), admin.privateKeyPem(), null));
        return kubeconfig;
    }

    private static CertificateAuthority authority(Path dataDir) throws IOException {
        Path caCert = dataDir.resolve("pki").resolve("ca.crt");
        Path caKey = dataDir.resolve("pki").resolve("ca.key");
        if (Files.exists(caCert) && Files.exists(caKey)) {
            return CertificateAuthority.fromPem(Files.readString(caCert), Files.readString(caKey));
        }
        CertificateAuthority ca = CertificateAuthority.generate("local");
        writePrivate(caKey, ca.privateKeyPem());
        Files.writeString(caCert, ca.certificatePem());
        return ca;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}
