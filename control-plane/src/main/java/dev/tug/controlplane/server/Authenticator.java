package dev.tug.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Authenticates a request by its client certificate (already verified against the client CA by
 * the TLS handshake) or by a bearer token from a token file in Kubernetes' static token format:
 * {@code token,user,uid,"group1,group2"} per line.
 */
public final class Authenticator {

    private final Map<String, User> tokens;

    private Authenticator(Map<String, User> tokens) {
        this.tokens = tokens;
    }

    public static Authenticator withTokens(Map<String, User> tokens) {
        return new Authenticator(Map.copyOf(tokens));
    }

    public static Authenticator fromTokenFile(Path file) throws IOException {
        if (file == null) {
            return new Authenticator(Map.of());
        }
        Map<String, User> tokens = new HashMap<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = csv(line);
            if (fields.size() < 2 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                throw new IOException(file + " line " + lineNumber + ": expected token,user,uid[,\"groups\"]");
            }
            List<String> groups = fields.size() > 3 && !fields.get(3).isEmpty()
                    ? Arrays.asList(fields.get(3).split(",")) : List.of();
            tokens.put(fields.get(0), new User(fields.get(1), groups));
        }
        return new Authenticator(tokens);
    }

    public Optional<User> authenticate(X509Certificate[] peerCertificates, String authorization) {
        if (peerCertificates != null && peerCertificates.length > 0) {
            return Optional.of(fromCertificate(peerCertificates[0]));
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            for (Map.Entry<String, User> entry : tokens.entrySet()) {
                // constant-time comparison: a token check must not leak how much of a guess was right
                if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8))) {
                    return Optional.of(entry.getValue());
                }
            }
        }
        return Optional.empty();
    }

    static User fromCertificate(X509Certificate certificate) {
        String name = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("unreadable certificate subject", e);
        }
        return new User(name == null ? "" : name, List.copyOf(groups));
    }

    /** One CSV line with double-quoted fields, as Kubernetes' token file allows. */
    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
