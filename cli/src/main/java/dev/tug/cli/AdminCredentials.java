package dev.tug.cli;

import dev.tug.controlplane.kubeconfig.Kubeconfig;
import dev.tug.state.CertificateAuthority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Cluster-admin client certificates, signed by the cluster's CA, for kubectl and for tug's own checks. */
final class AdminCredentials {
    private static final Duration KUBECONFIG_VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private AdminCredentials() {
    }

    static CertificateAuthority.IssuedCertificate issue(CertificateAuthority ca, Duration validity) {
        return ca.issue("admin", List.of("system:masters"), List.of(), true, validity);
    }

    /**
     * Adds (or refreshes) the cluster's context, named after the cluster, to the kubeconfig. A context whose
     * certificate this CA signed and that is good for another month is left as it is.
     */
    static boolean writeContext(Path kubeconfig, String cluster, String server, CertificateAuthority ca)
            throws IOException {
        var config = Kubeconfig.read(kubeconfig);
        boolean current = config.getClusters().stream().anyMatch(c -> c.getName().equals(cluster)
                && server.equals(c.getCluster().getServer())
                && ca.certificatePem().equals(decode(c.getCluster().getCertificateAuthorityData())))
                && config.getUsers().stream().anyMatch(u -> u.getName().equals(cluster)
                && ca.signedFor(decode(u.getUser().getClientCertificateData()), "admin", List.of(), RENEW_BEFORE));
        if (current && config.getContexts().stream().anyMatch(c -> c.getName().equals(cluster))) {
            return false;
        }
        CertificateAuthority.IssuedCertificate admin = issue(ca, KUBECONFIG_VALIDITY);
        Kubeconfig.merge(kubeconfig, new Kubeconfig.Entry(cluster, server, ca.certificatePem(),
                admin.certificatePem(), admin.privateKeyPem(), null));
        return true;
    }

    private static String decode(String base64) {
        return base64 == null ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
