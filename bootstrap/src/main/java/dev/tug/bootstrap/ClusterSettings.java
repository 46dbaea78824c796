package dev.tug.bootstrap;

import dev.tug.state.CertificateAuthority;

/**
 * What every machine of a cluster shares: where the API server is, the address ranges the server hands out
 * (null keeps the server's defaults), and the CA that signs the machines' certificates.
 */
public record ClusterSettings(String cluster, String apiHost, int apiPort, String serviceCidr, String clusterCidr,
                              CertificateAuthority ca) {

    public String apiServerUrl() {
        return "https://" + apiHost + ":" + apiPort;
    }
}
