package dev.tug.cli;

import dev.tug.model.SpecException;
import dev.tug.state.ConflictException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Opens YAML in $EDITOR until it is accepted: invalid input re-opens with the problems listed at the top;
 * an unchanged or empty file cancels. What the operator typed is never thrown away on failure.
 */
final class EditLoop {
    private static final String HEADER = """
            # Edit the %s below, then save and quit to apply it. Lines starting with '#' are ignored.
            # Saving it unchanged, or empty, cancels the edit. If it cannot be applied, this file opens
            # again with the reasons listed here.
            #
            """;

    private final Session session;
    private final String what;

    EditLoop(Session session, String what) {
        this.session = session;
        this.what = what;
    }

    /** The accepted object, or empty when the operator cancelled. */
    <T> Optional<T> edit(String original, Function<String, T> accept) throws IOException, InterruptedException {
        Path file = Files.createTempFile("tug-edit-", ".yaml");
        try {
            String shown = String.format(HEADER, what) + original;
            String lastBody = original;
            List<String> lastErrors = List.of();
            while (true) {
                Files.writeString(file, shown, StandardCharsets.UTF_8);
                runEditor(file);
                String body = stripComments(Files.readString(file, StandardCharsets.UTF_8));
                if (body.isBlank()) {
                    session.err.println("Edit cancelled: the file was empty; nothing changed.");
                    return Optional.empty();
                }
                if (body.equals(stripComments(original))) {
                    session.err.println("Edit cancelled: no changes made.");
                    return Optional.empty();
                }
                if (!lastErrors.isEmpty() && body.equals(lastBody)) {
                    Path kept = keep(body);
                    throw new UserException("edit cancelled: " + what + " still has errors (" + String.join("; ",
                            lastErrors) + "); your version is in " + kept);
                }
                try {
                    return Optional.of(accept.apply(body));
                } catch (SpecException | UserException e) {
                    lastErrors = e instanceof SpecException spec && !spec.problems().isEmpty()
                            ? spec.problems().stream().map(Object::toString).toList() : List.of(e.getMessage());
                    lastBody = body;
                    shown = String.format(HEADER, what) + "# These problems stop it from being applied:\n"
                            + lastErrors.stream().map(line -> "#   " + line.replace("\n", "\n#   "))
                            .collect(Collectors.joining("\n")) + "\n#\n" + body;
                    session.err.println("The edit cannot be applied; re-opening the editor: " + lastErrors.get(0));
                } catch (RuntimeException e) {
                    Path kept = keep(body);
                    throw new UserException(e.getMessage() + " (your version is in " + kept + ")");
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Stores the result; a conflict with someone else's change keeps the operator's version in a file. */
    static void save(Runnable write, String edited) throws IOException {
        try {
            write.run();
        } catch (ConflictException e) {
            throw new UserException(e.getMessage() + "; your version is in " + keep(edited));
        }
    }

    private static Path keep(String body) throws IOException {
        Path kept = Files.createTempFile("tug-edit-kept-", ".yaml");
        Files.writeString(kept, body, StandardCharsets.UTF_8);
        return kept;
    }

    private void runEditor(Path file) throws IOException, InterruptedException {
        String editor = session.env.first("TUG_EDITOR", "VISUAL", "EDITOR").orElse("vi");
        // Through the shell so EDITOR may carry arguments ("code --wait"), as git and kubectl allow.
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "tug-editor", file.toString())
                .inheritIO();
        builder.environment().clear();
        builder.environment().putAll(session.env.variables());
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new UserException("editor `" + editor + "` exited with status " + exit + "; nothing changed");
        }
    }

    private static String stripComments(String text) {
        return text.lines().filter(line -> !line.stripLeading().startsWith("#"))
                .collect(Collectors.joining("\n")).strip() + "\n";
    }
}
