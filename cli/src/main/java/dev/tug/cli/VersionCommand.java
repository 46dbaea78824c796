package dev.tug.cli;

import dev.tug.model.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Print the version of tug.")
final class VersionCommand implements java.util.concurrent.Callable<Integer> {
    private final Session session;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml or json instead of text.")
    OutputFormat output;

    VersionCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", version());
        info.put("apiVersion", dev.tug.model.ApiVersion.V1ALPHA1);
        info.put("java", System.getProperty("java.version"));
        if (output == OutputFormat.json) {
            session.out.print(Manifests.toJson(info));
        } else if (output == OutputFormat.yaml) {
            info.forEach((k, v) -> session.out.println(k + ": " + v));
        } else {
            session.out.println("tug " + info.get("version") + " (" + info.get("apiVersion") + ", Java "
                    + info.get("java") + ")");
        }
        return 0;
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/tug-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tug " + version()};
        }
    }
}
