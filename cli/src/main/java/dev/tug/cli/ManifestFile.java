package dev.tug.cli;

import dev.tug.model.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads the objects of a -f argument: a file, or - for standard input. */
final class ManifestFile {
    private ManifestFile() {
    }

    static List<Object> read(Session session, String file) {
        String text;
        try {
            text = file.equals("-") ? new String(session.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserException("file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
        return Manifests.parse(file.equals("-") ? "standard input" : file, text);
    }
}
