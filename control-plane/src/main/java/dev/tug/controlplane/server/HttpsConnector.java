package dev.tug.controlplane.server;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStore;

/** Jetty's HTTPS connector as tug's servers use it: their certificate, and optionally client certificates. */
public final class HttpsConnector {
    private HttpsConnector() {
    }

    /** @param clientCa the CA client certificates are checked against; null when clients authenticate otherwise */
    public static ServerConnector of(Server server, KeyStore serving, KeyStore clientCa) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(serving);
        tls.setKeyStorePassword(new String(TlsFiles.PASSWORD));
        if (clientCa != null) {
            tls.setTrustStore(clientCa);
            // want, not need: requests may authenticate with a bearer token instead of a certificate
            tls.setWantClientAuth(true);
        }
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients reach servers by IP address; the certificate's SANs are what they check
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        return new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    }
}
