package dev.tug.state.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A moto_server on a free loopback port: the AWS stand-in. One per test class keeps the suite fast. */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() {
        return start(Map.of());
    }

    /** A server with extra environment, e.g. MOTO_AMIS_PATH for the machine images it offers. */
    public static MotoServer start(Map<String, String> serverEnv) {
        Path moto = ExternalProcess.require("moto_server",
                "install moto 5 with its server extra: pip install 'moto[server]>=5'");
        int port = ExternalProcess.freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            Process process = ExternalProcess.startAndAwaitPort(
                    List.of(moto.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)), serverEnv, port, log,
                    Duration.ofSeconds(60));
            return new MotoServer(process, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The standard AWS variables pointing at this server with dummy credentials. */
    public Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "us-east-1");
    }

    /** Runs the aws CLI against this server: an independent check of what Tug did. */
    public String aws(String... arguments) {
        Path aws = ExternalProcess.require("aws", "install the AWS CLI: pip install awscli");
        List<String> command = new java.util.ArrayList<>(List.of(aws.toString(), "--output", "text"));
        command.addAll(List.of(arguments));
        return ExternalProcess.run(command, environment());
    }

    public void createBucket(String bucket) {
        aws("s3api", "create-bucket", "--bucket", bucket);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
