package dev.tug.bootstrap;

import dev.tug.state.CertificateAuthority;

/**
 * What every machine of a cluster shares: where the API server is, the address ranges the server hands out
 * (null keeps the server's defaults), the CA that signs the machines' certificates, and the admin bearer token
 * the API server accepts (null: certificates only).
 */
public record ClusterSettings(String cluster, String apiHost, int apiPort, String serviceCidr, String clusterCidr,
                              CertificateAuthority ca, String adminToken) {

    public ClusterSettings(String cluster, String apiHost, int apiPort, String serviceCidr, String clusterCidr,
                           CertificateAuthority ca) {
        this(cluster, apiHost, apiPort, serviceCidr, clusterCidr, ca, null);
    }

    public ClusterSettings withAdminToken(String token) {
        return new ClusterSettings(cluster, apiHost, apiPort, serviceCidr, clusterCidr, ca, token);
    }

    public String apiServerUrl() {
        return "https://" + apiHost + ":" + apiPort;
    }
}
