package dev.tug.controlplane.server;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Loads PEM certificates and keys (what Kubernetes tools exchange) into Java key stores. */
public final class TlsFiles {

    static final char[] PASSWORD = "tug".toCharArray();

    private TlsFiles() {
    }

    public static KeyStore keyStore(Path certificateFile, Path keyFile) throws IOException {
        return keyStore(Files.readString(certificateFile, StandardCharsets.US_ASCII),
                Files.readString(keyFile, StandardCharsets.US_ASCII), certificateFile + " with " + keyFile);
    }

    public static KeyStore trustStore(Path caFile) throws IOException {
        return trustStore(Files.readString(caFile, StandardCharsets.US_ASCII), caFile.toString());
    }

    /** A client's TLS context: its certificate and key, and the CA it trusts for the server. */
    public static SSLContext clientContext(String certificatePem, String keyPem, String caPem) throws IOException {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(certificatePem, keyPem, "the client certificate"), PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(caPem, "the CA"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A client's TLS context that trusts only the given CA (the client authenticates otherwise, e.g. by token). */
    public static SSLContext trustContext(String caPem) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(caPem, "the CA"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A server's certificate chain and key from PEM text, e.g. handed to a pod in its environment. */
    public static KeyStore keyStore(String certificatePem, String keyPem, String what) throws IOException {
        List<X509Certificate> chain = certificates(certificatePem, what);
        if (chain.isEmpty()) {
            throw new IOException(what + ": no PEM certificate found");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", privateKey(keyPem, what), PASSWORD, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + what + ": " + e.getMessage(), e);
        }
    }

    static KeyStore trustStore(String caPem, String what) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates(caPem, what)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IOException(what + ": no PEM certificate found");
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String pem, String what) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    result.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(what + " is not a readable PEM certificate: " + e.getMessage(), e);
        }
        return result;
    }

    private static PrivateKey privateKey(String pem, String what) throws IOException {
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object item = parser.readObject();
            PrivateKeyInfo info = item instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                    : item instanceof PrivateKeyInfo i ? i : null;
            if (info == null) {
                throw new IOException(what + ": no PEM private key found");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }
}
