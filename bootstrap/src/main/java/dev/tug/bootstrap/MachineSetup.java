package dev.tug.bootstrap;

import dev.tug.state.CertificateAuthority;
import dev.tug.templates.Templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings one machine to what the cluster wants: a Java runtime, the tug jar, the components' launchers,
 * certificates and kubeconfig, a systemd unit or the supervisor, and the components running. It first asks the
 * machine what it has (one script), then changes only what differs and restarts only the components whose files
 * changed, so running it again changes nothing.
 */
public final class MachineSetup {
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);
    /** Certificates closer than this to their end are renewed by the next update. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final ClusterSettings cluster;
    private final Artifact jar;
    private final String java;
    private final boolean systemdAllowed;

    /**
     * @param java           the java command the launchers run ("java" from the PATH on real machines)
     * @param systemdAllowed false for the local cloud, whose components are the user's processes
     */
    public MachineSetup(ClusterSettings cluster, Artifact jar, String java, boolean systemdAllowed) {
        this.cluster = cluster;
        this.jar = jar;
        this.java = java;
        this.systemdAllowed = systemdAllowed;
    }

    /** What setup did on one machine; empty {@code changes} means it was already right. */
    public record Report(Machine machine, List<String> changes, Duration took) {
    }

    public Report apply(Executor executor, Machine machine, Consumer<String> log) throws IOException {
        long started = System.nanoTime();
        MachinePaths paths = machine.paths();
        List<String> changes = new ArrayList<>();

        List<ManagedFile> files = files(machine);
        List<Certificate> certificates = certificates(machine);
        Probe probe = probe(executor, machine, files, certificates);
        if (probe.java == null) {
            log.accept("installing a Java runtime (apt-get or dnf)");
            executor.run(render("install-java", machine, Map.of())).orThrow("installing Java");
            changes.add("java");
        }

        Map<String, Set<String>> restarts = new LinkedHashMap<>();
        machine.components().forEach(c -> restarts.put(c, new LinkedHashSet<>()));
        if (!state(jar.sha256(), "0644").equals(probe.files.get(paths.jar()))) {
            log.accept("uploading tug.jar (" + jar.size() / (1024 * 1024) + " MiB)");
            long upload = System.nanoTime();
            executor.put(List.of(FileContent.copyOf(paths.jar(), "0644", jar.path())));
            log.accept("uploaded tug.jar in " + seconds(System.nanoTime() - upload));
            changes.add("tug.jar");
            restarts.values().forEach(why -> why.add("tug.jar"));
        }

        List<FileContent> writes = new ArrayList<>();
        for (ManagedFile file : files) {
            if (file.systemd != null && file.systemd != probe.systemd) {
                continue;
            }
            byte[] content = file.content.getBytes(StandardCharsets.UTF_8);
            if (!state(Artifact.sha256(content), file.mode).equals(probe.files.get(file.path))) {
                writes.add(new FileContent(file.path, file.mode, content, null));
                file.affects.forEach(component -> restarts.get(component).add(name(file.path)));
            }
        }
        for (Certificate certificate : certificates) {
            String existing = probe.files.get(certificate.certPath) == null ? null
                    : executor.readText(certificate.certPath).orElse(null);
            if (existing == null || probe.files.get(certificate.keyPath) == null || !cluster.ca().signedFor(existing,
                    certificate.commonName, certificate.serverNames, RENEW_BEFORE)) {
                CertificateAuthority.IssuedCertificate issued = cluster.ca().issue(certificate.commonName,
                        certificate.organizations, certificate.serverNames, certificate.serverNames.isEmpty(),
                        CERTIFICATE_VALIDITY);
                writes.add(FileContent.text(certificate.keyPath, "0600", issued.privateKeyPem()));
                writes.add(FileContent.text(certificate.certPath, "0644", issued.certificatePem()));
                restarts.get(certificate.component).add(name(certificate.certPath));
            }
        }
        if (!writes.isEmpty()) {
            executor.put(writes);
            List<String> names = writes.stream().map(f -> name(f.path())).distinct().toList();
            log.accept("wrote " + String.join(", ", names));
            changes.addAll(names);
        }

        List<String> restart = new ArrayList<>();
        List<String> ensure = new ArrayList<>();
        restarts.forEach((component, why) -> {
            if (!why.isEmpty() && probe.running.contains(component)) {
                restart.add(component);
            } else if (!probe.running.contains(component)) {
                ensure.add(component);
            }
        });
        if (!restart.isEmpty() || !ensure.isEmpty()) {
            Map<String, Object> model = new HashMap<>();
            model.put("systemd", probe.systemd);
            model.put("units", probe.systemd ? writes.stream().map(FileContent::path)
                    .filter(p -> p.endsWith(".service")).toList() : List.of());
            model.put("restart", restart);
            model.put("ensure", ensure);
            executor.run(render("start", machine, model)).orThrow("starting " + String.join(" and ", machine.components()));
            restart.forEach(c -> log.accept("restarted " + c + " (changed: " + String.join(", ", restarts.get(c)) + ")"));
            if (!ensure.isEmpty()) {
                log.accept("started " + String.join(", ", ensure) + (probe.systemd ? " (systemd)" : " (supervise)"));
            }
            restart.forEach(c -> changes.add("restarted " + c));
            ensure.forEach(c -> changes.add("started " + c));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.accept(changes.isEmpty() ? "up to date (" + seconds(took.toNanos()) + ")"
                : "done in " + seconds(took.toNanos()));
        return new Report(machine, changes, took);
    }

    /** Stops the machine's components and removes the pods they ran, the files, units and data tug wrote. */
    public static void teardown(Executor executor, Machine machine, boolean systemdAllowed) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("paths", machine.paths().model());
        model.put("systemdAllowed", systemdAllowed);
        model.put("components", List.of("agent", "server"));
        executor.run(Templates.render("machine/teardown.sh", model)).orThrow("removing tug");
    }

    private Probe probe(Executor executor, Machine machine, List<ManagedFile> managed, List<Certificate> certificates)
            throws IOException {
        List<String> files = new ArrayList<>();
        files.add(machine.paths().jar());
        managed.forEach(f -> files.add(f.path));
        for (Certificate certificate : certificates) {
            files.add(certificate.certPath);
            files.add(certificate.keyPath);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("files", files);
        model.put("components", machine.components());
        String output = executor.run(render("probe", machine, model)).orThrow("inspecting the machine").stdout();
        Probe probe = new Probe();
        for (String line : output.split("\n")) {
            String[] words = line.split(" ", 3);
            switch (words[0]) {
                case "java" -> probe.java = "-".equals(words[1]) ? null : words[1];
                case "systemd" -> probe.systemd = "yes".equals(words[1]);
                case "file" -> {
                    if (!"-".equals(words[1])) {
                        probe.files.put(words[2], words[1]);
                    }
                }
                case "running" -> {
                    if ("yes".equals(words[1])) {
                        probe.running.add(words[2]);
                    }
                }
                default -> {
                }
            }
        }
        return probe;
    }

    /**
     * The text files a machine gets, and the components that must restart when one changes. Units are for
     * machines with systemd and the supervisor for the others; which a machine is, the probe tells.
     */
    private List<ManagedFile> files(Machine machine) {
        MachinePaths paths = machine.paths();
        List<ManagedFile> files = new ArrayList<>();
        files.add(new ManagedFile(paths.pki() + "/ca.crt", "0644", cluster.ca().certificatePem(), machine.components(),
                null));
        for (String component : machine.components()) {
            Map<String, Object> model = new HashMap<>();
            model.put("component", Map.of("name", component, "args", arguments(machine, component),
                    "jvmOptions", jvmOptions(component)));
            model.put("java", java);
            files.add(new ManagedFile(paths.launcher(component), "0755", render("component.sh", machine, model),
                    List.of(component), null));
            if (systemdAllowed) {
                files.add(new ManagedFile(MachinePaths.unit(component), "0644", render("unit.service", machine, model),
                        List.of(component), true));
            }
        }
        files.add(new ManagedFile(paths.etc() + "/agent.kubeconfig", "0600",
                render("agent.kubeconfig", machine, Map.of("server", cluster.apiServerUrl())), List.of("agent"), null));
        if (machine.controlPlane() && cluster.adminToken() != null) {
            // Kubernetes' static token file: token,user,uid,"groups"
            files.add(new ManagedFile(tokenFile(paths), "0600", cluster.adminToken() + ",admin,admin,\"system:masters\"\n",
                    List.of("server"), null));
        }
        files.add(new ManagedFile(paths.bin() + "/supervise", "0755", render("supervise.sh", machine, Map.of()),
                List.of(), false));
        return files;
    }

    private List<String> arguments(Machine machine, String component) {
        MachinePaths paths = machine.paths();
        List<String> args = new ArrayList<>();
        if (component.equals("server")) {
            args.addAll(List.of("--data-dir", paths.lib() + "/server", "--listen", machine.address() + ":" + cluster.apiPort(),
                    "--tls-cert-file", paths.pki() + "/apiserver.crt",
                    "--tls-private-key-file", paths.pki() + "/apiserver.key",
                    "--client-ca-file", paths.pki() + "/ca.crt", "--advertise-address", machine.address()));
            if (cluster.adminToken() != null) {
                args.addAll(List.of("--token-auth-file", tokenFile(paths)));
            }
            if (cluster.serviceCidr() != null) {
                args.addAll(List.of("--service-cluster-ip-range", cluster.serviceCidr()));
            }
            if (cluster.clusterCidr() != null) {
                args.addAll(List.of("--cluster-cidr", cluster.clusterCidr()));
            }
            return args;
        }
        args.addAll(List.of("--kubeconfig", paths.etc() + "/agent.kubeconfig", "--node-name", machine.nodeName(),
                "--address", machine.address(), "--data-dir", paths.lib() + "/agent"));
        Map<String, String> labels = new LinkedHashMap<>(machine.labels());
        if (machine.controlPlane()) {
            labels.putIfAbsent("node-role.kubernetes.io/control-plane", "");
        }
        if (!labels.isEmpty()) {
            args.add("--node-labels");
            args.add(String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (!machine.taints().isEmpty()) {
            args.add("--register-with-taints");
            args.add(String.join(",", machine.taints()));
        }
        return args;
    }

    private static String tokenFile(MachinePaths paths) {
        return paths.etc() + "/tokens.csv";
    }

    /** Small heaps: a cluster's components share machines with its workloads (and, locally, with each other). */
    private static List<String> jvmOptions(String component) {
        return List.of(component.equals("server") ? "-Xmx768m" : "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError");
    }

    private List<Certificate> certificates(Machine machine) {
        MachinePaths paths = machine.paths();
        List<Certificate> certificates = new ArrayList<>();
        if (machine.controlPlane()) {
            certificates.add(new Certificate("server", paths.pki() + "/apiserver.crt", paths.pki() + "/apiserver.key",
                    "tug-apiserver", List.of(), serverNames(machine)));
        }
        certificates.add(new Certificate("agent", paths.pki() + "/agent.crt", paths.pki() + "/agent.key",
                "system:node:" + machine.nodeName(), List.of("system:nodes"), List.of()));
        return certificates;
    }

    /** Every name clients use for the API server: its address, the cluster's endpoint, and in-cluster names. */
    private List<String> serverNames(Machine machine) {
        Set<String> names = new LinkedHashSet<>(List.of(machine.address(), cluster.apiHost(), "localhost", "127.0.0.1"));
        names.addAll(CertificateAuthority.IN_CLUSTER_API_NAMES);
        if (cluster.serviceCidr() != null) {
            names.add(firstAddress(cluster.serviceCidr()));
        }
        return List.copyOf(names);
    }

    /** The first usable address of an IPv4 range: the kubernetes Service's cluster IP. */
    static String firstAddress(String cidr) {
        String[] octets = cidr.substring(0, cidr.indexOf('/')).split("\\.");
        long value = 0;
        for (String octet : octets) {
            value = value << 8 | Integer.parseInt(octet);
        }
        value++;
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }

    private String render(String template, Machine machine, Map<String, ?> extra) {
        Map<String, Object> model = new HashMap<>(extra);
        model.put("paths", machine.paths().model());
        model.put("cluster", cluster.cluster());
        model.put("machine", machine.label());
        model.put("nodeName", machine.nodeName());
        model.put("systemdAllowed", systemdAllowed);
        return Templates.render("machine/" + template + (template.contains(".") ? "" : ".sh"), model);
    }

    /** A file as the probe reports it: content checksum and permission bits, e.g. {@code 9f86…:755}. */
    private static String state(String sha256, String mode) {
        return sha256 + ":" + Integer.toOctalString(Integer.parseInt(mode, 8));
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String seconds(long nanos) {
        return String.format("%.1fs", nanos / 1e9);
    }

    private static final class Probe {
        String java;
        boolean systemd;
        final Map<String, String> files = new HashMap<>();
        final Set<String> running = new LinkedHashSet<>();
    }

    /** {@code systemd}: true for a unit, false for the supervisor, null for a file every machine gets. */
    private record ManagedFile(String path, String mode, String content, List<String> affects, Boolean systemd) {
    }

    private record Certificate(String component, String certPath, String keyPath, String commonName,
                               List<String> organizations, List<String> serverNames) {
    }
}
