package dev.tug.controlplane.kubeconfig;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;

import dev.tug.controlplane.server.TlsFiles;
import java.io.File;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes kubeconfig files the way {@code kubectl config} does: one cluster, user and
 * context per name, merged into an existing file without disturbing its other entries.
 */
public final class Kubeconfig {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One context: the server with its CA, and how the user proves who it is (certificate or token). */
    public record Entry(String name, String server, String caPem, String clientCertificatePem, String clientKeyPem,
            String token) {
    }

    private Kubeconfig() {
    }

    /** {@code $KUBECONFIG}'s first file (as kubectl writes to it), else {@code ~/.kube/config}. */
    public static Path defaultPath(Map<String, String> env) {
        String configured = env.get("KUBECONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.split(File.pathSeparator)[0]);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".kube", "config");
    }

    /** Adds or replaces the entry's cluster, user and context, and makes it the current context. */
    public static void merge(Path file, Entry entry) throws IOException {
        Config config = read(file);
        Cluster cluster = new Cluster();
        cluster.setServer(entry.server());
        cluster.setCertificateAuthorityData(base64(entry.caPem()));
        AuthInfo user = new AuthInfo();
        user.setClientCertificateData(base64(entry.clientCertificatePem()));
        user.setClientKeyData(base64(entry.clientKeyPem()));
        user.setToken(entry.token());
        Context context = new Context();
        context.setCluster(entry.name());
        context.setUser(entry.name());
        config.setClusters(replace(config.getClusters(), NamedCluster::getName, new NamedCluster(cluster, entry.name())));
        config.setUsers(replace(config.getUsers(), NamedAuthInfo::getName, new NamedAuthInfo(entry.name(), user)));
        config.setContexts(replace(config.getContexts(), NamedContext::getName, new NamedContext(context, entry.name())));
        config.setCurrentContext(entry.name());
        write(file, config);
    }

    /** Removes the cluster, user and context of that name; returns whether there was one. */
    public static boolean remove(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        Config config = read(file);
        boolean found = config.getContexts().removeIf(c -> name.equals(c.getName()))
                | config.getClusters().removeIf(c -> name.equals(c.getName()))
                | config.getUsers().removeIf(u -> name.equals(u.getName()));
        if (name.equals(config.getCurrentContext())) {
            config.setCurrentContext("");
        }
        if (found) {
            write(file, config);
        }
        return found;
    }

    /** The current context's server URL and a TLS context holding its client certificate and CA. */
    public record Connection(String server, SSLContext tls) {
    }

    public static Connection connection(Path file) throws IOException {
        Config config = read(file);
        String current = config.getCurrentContext();
        NamedContext context = config.getContexts().stream().filter(c -> c.getName().equals(current)).findFirst()
                .orElseThrow(() -> new IOException(file + " has no current context"));
        Cluster cluster = config.getClusters().stream()
                .filter(c -> c.getName().equals(context.getContext().getCluster())).findFirst()
                .orElseThrow(() -> new IOException(file + ": context " + current + " names no known cluster")).getCluster();
        AuthInfo user = config.getUsers().stream().filter(u -> u.getName().equals(context.getContext().getUser()))
                .findFirst().orElseThrow(() -> new IOException(file + ": context " + current + " names no known user"))
                .getUser();
        return new Connection(cluster.getServer(), TlsFiles.clientContext(decode(user.getClientCertificateData()),
                decode(user.getClientKeyData()), decode(cluster.getCertificateAuthorityData())));
    }

    private static String decode(String base64) throws IOException {
        if (base64 == null) {
            throw new IOException("the kubeconfig holds no inline certificate data");
        }
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    public static Config read(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            Config empty = new Config();
            empty.setApiVersion("v1");
            empty.setKind("Config");
            empty.setClusters(new ArrayList<>());
            empty.setUsers(new ArrayList<>());
            empty.setContexts(new ArrayList<>());
            return empty;
        }
        try {
            Config config = YAML.readValue(file.toFile(), Config.class);
            config.setClusters(new ArrayList<>(config.getClusters()));
            config.setUsers(new ArrayList<>(config.getUsers()));
            config.setContexts(new ArrayList<>(config.getContexts()));
            return config;
        } catch (IOException e) {
            throw new IOException(file + " is not a readable kubeconfig: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Config config) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".kubeconfig", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, YAML.writeValueAsString(config), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static <T> List<T> replace(List<T> items, Function<T, String> name, T replacement) {
        List<T> result = new ArrayList<>();
        for (T item : items) {
            if (!name.apply(item).equals(name.apply(replacement))) {
                result.add(item);
            }
        }
        result.add(replacement);
        return result;
    }

    private static String base64(String pem) {
        return pem == null ? null : Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
