package dev.tug.cli;

import picocli.CommandLine;

/** A command that only groups subcommands (get, edit, delete): alone, it says which to pick. */
abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** e.g. "say what to list: `tug get clusters` or `tug get ig --name NAME`". */
    protected abstract String hint();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), hint());
    }
}
