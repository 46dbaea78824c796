package dev.tug.bootstrap;

/** What a script printed and how it ended. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    /** This result if the script succeeded, else an error that names the step and quotes the script's stderr. */
    public CommandResult orThrow(String step) throws BootstrapException {
        if (exitCode != 0) {
            String why = stderr.isBlank() ? stdout.strip() : stderr.strip();
            String[] lines = why.split("\n");
            throw new BootstrapException(step + " failed (exit " + exitCode + ")"
                    + (why.isEmpty() ? "" : ": " + lines[lines.length - 1]));
        }
        return this;
    }
}
