package dev.tug.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tug jar this process runs from: the one update uploads to every machine. */
final class SelfJar {
    private SelfJar() {
    }

    static Path locate(Session session) {
        var override = session.env.get("TUG_JAR");
        if (override.isPresent()) {
            Path jar = Path.of(override.get());
            if (!Files.isRegularFile(jar)) {
                throw new UserException("TUG_JAR names " + jar + ", which is not a file");
            }
            return jar;
        }
        try {
            Path location = Path.of(Tug.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
                return location;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the message below
        }
        throw new UserException("tug runs from classes, not from its jar, so there is nothing to upload to the"
                + " machines; run ./tug (it builds cli/target/tug.jar) or set TUG_JAR to the jar");
    }
}
