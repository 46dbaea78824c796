package dev.tug.bench;

import dev.tug.cli.ClusterCli;
import dev.tug.cli.SshMachines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seconds from nothing to a validated cluster of 1 control-plane machine and 2 nodes, local and metal (OpenSSH
 * servers on loopback, one mount namespace per machine; needs root), by phase: storing the spec, bootstrap
 * (jar upload, certificates, components started), the nodes joining (validate --wait), a second update that has
 * nothing to do, and delete.
 */
public final class ClusterBench {
    private static final String[] PHASES = {"spec (create)", "bootstrap (update --yes)", "join (validate --wait)",
            "create -> validated", "re-check (update --yes)", "delete --yes"};

    public static void main(String[] args) throws Exception {
        Path work = Path.of("bench", "target", "cluster-bench").toAbsolutePath();
        ClusterCli.deleteRecursively(work);
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        results.put("local", run(new ClusterCli(work.resolve("local")), "benchlocal",
                List.of("--cloud", "local", "--node-count", "2", "--network-cidr", "127.61.0.0/16"), List.of()));
        try (SshMachines machines = SshMachines.start(work.resolve("hosts"),
                List.of("127.0.0.5", "127.0.0.6", "127.0.0.7"))) {
            results.put("metal", run(new ClusterCli(work.resolve("metal")), "benchmetal",
                    List.of("--cloud", "metal", "--control-plane-hosts", machines.host(0), "--node-hosts",
                            machines.host(1) + "," + machines.host(2), "--ssh-public-key",
                            machines.publicKey().toString()),
                    List.of("-i", machines.privateKey().toString())));
        }
        System.out.printf("Cluster of 1 control-plane machine + 2 nodes, %d cores, jar %d MiB; seconds%n",
                Runtime.getRuntime().availableProcessors(),
                Files.size(Path.of("cli", "target", "tug.jar")) / (1024 * 1024));
        System.out.printf("  %-28s %8s %8s%n", "", "local", "metal");
        for (String phase : PHASES) {
            System.out.printf("  %-28s %8.1f %8.1f%n", phase, results.get("local").get(phase),
                    results.get("metal").get(phase));
        }
    }

    private static Map<String, Double> run(ClusterCli cli, String name, List<String> createFlags, List<String> sshFlags)
            throws Exception {
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> create = new ArrayList<>(List.of("create", "cluster", name));
        create.addAll(createFlags);
        long start = System.nanoTime();
        time(seconds, PHASES[0], cli, create);
        time(seconds, PHASES[1], cli, with(List.of("update", "cluster", name, "--yes"), sshFlags));
        time(seconds, PHASES[2], cli, List.of("validate", "cluster", name, "--wait", "5m"));
        seconds.put(PHASES[3], (System.nanoTime() - start) / 1e9);
        time(seconds, PHASES[4], cli, with(List.of("update", "cluster", name, "--yes"), sshFlags));
        time(seconds, PHASES[5], cli, with(List.of("delete", "cluster", name, "--yes"), sshFlags));
        return seconds;
    }

    private static void time(Map<String, Double> seconds, String phase, ClusterCli cli, List<String> args)
            throws Exception {
        long started = System.nanoTime();
        ClusterCli.Result result = cli.tug(args.toArray(String[]::new));
        if (result.exit() != 0) {
            throw new IllegalStateException("tug " + String.join(" ", args) + " failed:\n" + result.all());
        }
        seconds.put(phase, (System.nanoTime() - started) / 1e9);
    }

    private static List<String> with(List<String> args, List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return all;
    }
}
