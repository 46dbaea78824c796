package dev.tug.bench;

import dev.tug.cli.Tug;
import dev.tug.state.Environment;
import dev.tug.state.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS cloud phase against moto_server on loopback: seconds and cloud API calls for the dry-run report, the
 * first apply, a no-op apply and delete, for clusters over 1 and 3 zones. Median of a few rounds, in one JVM
 * (the CLI runs in-process, as tug's tests run it). moto's own speed is part of every figure.
 */
public final class AwsBench {
    private static final int ROUNDS = 3;
    private static final String[] STEPS = {"report (update)", "apply (update --yes)", "no-op (update --yes)",
            "delete --yes"};
    private static final Pattern CALLS = Pattern.compile("Cloud API calls: (\\d+) \\((\\d+) changing\\)");

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.disableEc2Metadata", "true");
        Path work = Files.createTempDirectory("tug-aws-bench");
        Path images = work.resolve("amis.json");
        try (InputStream in = AwsBench.class.getResourceAsStream("/moto-amis.json")) {
            Files.copy(in, images, StandardCopyOption.REPLACE_EXISTING);
        }
        try (MotoServer moto = MotoServer.start(Map.of("MOTO_AMIS_PATH", images.toString()))) {
            Map<String, String> env = new HashMap<>(moto.environment());
            env.put("HOME", work.toString());
            env.put("TUG_STATE_STORE", "file://" + work.resolve("state"));
            Path key = work.resolve("id_ed25519");
            new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).inheritIO()
                    .start().waitFor();
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (String zones : List.of("us-east-1a", "us-east-1a,us-east-1b,us-east-1c")) {
                List<double[]> rounds = new ArrayList<>();
                for (int round = 0; round < ROUNDS + 1; round++) {
                    double[] figures = round(env, "bench" + round + "-" + zones.length() + ".example.com", zones,
                            key + ".pub");
                    if (round > 0) { // the first round warms the JVM up
                        rounds.add(figures);
                    }
                }
                results.put(zones.split(",").length + " zone(s)", rounds);
            }
            System.out.printf("AWS cloud phase against moto_server, %d cores; median of %d rounds%n",
                    Runtime.getRuntime().availableProcessors(), ROUNDS);
            System.out.printf("  %-24s %23s %23s%n", "", "1 zone (22 resources)", "3 zones (28 resources)");
            System.out.printf("  %-24s %23s %23s%n", "", "s / calls / changing", "s / calls / changing");
            for (int step = 0; step < STEPS.length; step++) {
                StringBuilder line = new StringBuilder(String.format("  %-24s", STEPS[step]));
                for (List<double[]> rounds : results.values()) {
                    final int s = step;
                    line.append(String.format(" %10.2f / %3.0f / %3.0f", median(rounds, r -> r[s * 3]),
                            median(rounds, r -> r[s * 3 + 1]), median(rounds, r -> r[s * 3 + 2])));
                }
                System.out.println(line);
            }
        }
    }

    private static double[] round(Map<String, String> env, String name, String zones, String publicKey) {
        tug(env, "create", "cluster", name, "--cloud", "aws", "--zones", zones, "--node-count", "3",
                "--ssh-public-key", publicKey);
        double[] figures = new double[STEPS.length * 3];
        String[][] commands = {
            {"update", "cluster", name, "-v"},
            {"update", "cluster", name, "--yes", "--phase", "cloud", "-v"},
            {"update", "cluster", name, "--yes", "--phase", "cloud", "-v"},
            {"delete", "cluster", name, "--yes", "-v"}};
        for (int step = 0; step < commands.length; step++) {
            long start = System.nanoTime();
            String err = tug(env, commands[step]);
            figures[step * 3] = (System.nanoTime() - start) / 1e9;
            Matcher calls = CALLS.matcher(err);
            if (calls.find()) {
                figures[step * 3 + 1] = Double.parseDouble(calls.group(1));
                figures[step * 3 + 2] = Double.parseDouble(calls.group(2));
            }
        }
        return figures;
    }

    private static String tug(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Tug.run(args, new Environment(Map.copyOf(env)), out, err, new ByteArrayInputStream(new byte[0]));
        if (exit != 0) {
            throw new IllegalStateException("tug " + String.join(" ", args) + " failed:\n" + out + err);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    private static double median(List<double[]> rounds, java.util.function.ToDoubleFunction<double[]> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }
}
