package dev.tug.state;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** A cluster's certificate authority: signs the API server's and clients' certificates. */
public record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Names pods use for the API server (the kubernetes Service's); its serving certificate carries them all. */
    public static final List<String> IN_CLUSTER_API_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
    private static final int RSA_BITS = 2048;

    public static CertificateAuthority generate(String clusterName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("O=tug,CN=tug-ca." + clusterName);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new CertificateAuthority(certificate, keys.getPrivate());
        } catch (NoSuchAlgorithmException | OperatorCreationException | CertificateException | CertIOException e) {
            throw new IllegalStateException("cannot generate the cluster CA", e);
        }
    }

    /**
     * Signs a new key pair's certificate: {@code serverNames} (DNS names or IP addresses) make it
     * a serving certificate, {@code organizations} become the Kubernetes groups of a client.
     */
    public IssuedCertificate issue(String commonName, List<String> organizations, List<String> serverNames,
            boolean client, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500NameBuilder subject = new X500NameBuilder();
            organizations.forEach(o -> subject.addRDN(BCStyle.O, o));
            subject.addRDN(BCStyle.CN, commonName);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(certificate, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject.build(),
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (!serverNames.isEmpty()) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
                GeneralName[] names = serverNames.stream()
                        .map(n -> new GeneralName(IPAddress.isValid(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            if (client) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(privateKey);
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new IssuedCertificate(issued, keys.getPrivate());
        } catch (NoSuchAlgorithmException | OperatorCreationException | CertificateException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /**
     * Whether {@code certificatePem} is one this CA signed for {@code commonName} and exactly these server names,
     * valid for at least {@code margin} more: such a certificate is kept rather than replaced, so that setup
     * run twice changes nothing.
     */
    public boolean signedFor(String certificatePem, String commonName, List<String> serverNames, Duration margin) {
        try (PEMParser parser = new PEMParser(new StringReader(certificatePem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                return false;
            }
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(holder);
            issued.verify(certificate.getPublicKey());
            if (issued.getNotAfter().toInstant().isBefore(Instant.now().plus(margin))) {
                return false;
            }
            String cn = IETFUtils.valueToString(holder.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue());
            java.util.Set<String> names = new java.util.HashSet<>();
            if (issued.getSubjectAlternativeNames() != null) {
                issued.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
            return cn.equals(commonName) && names.equals(new java.util.HashSet<>(serverNames));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A certificate signed by this CA, with its private key. */
    public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String privateKeyPem() {
            return pem(privateKey);
        }
    }

    public String certificatePem() {
        return pem(certificate);
    }

    public String privateKeyPem() {
        return pem(privateKey);
    }

    public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
        try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
             PEMParser keys = new PEMParser(new StringReader(privateKeyPem))) {
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate((X509CertificateHolder) certs.readObject());
            Object keyObject = keys.readObject();
            // PKCS#1 ("RSA PRIVATE KEY", what we write) parses as a key pair; PKCS#8 as the key alone.
            PrivateKeyInfo keyInfo = keyObject instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                    : (PrivateKeyInfo) keyObject;
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(keyInfo);
            return new CertificateAuthority(certificate, key);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new StateStoreException("the stored cluster CA is not readable PEM: " + e.getMessage(), e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
