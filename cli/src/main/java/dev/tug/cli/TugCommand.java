package dev.tug.cli;

import dev.tug.state.ClusterRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** Base of every command that does work: the options every command takes, and access to the state store. */
abstract class TugCommand implements Callable<Integer> {
    protected final Session session;

    @Option(names = "--state", paramLabel = "URL",
            description = "State store: s3://bucket[/prefix], gs://bucket[/prefix] or file:///path."
                    + " Default: $TUG_STATE_STORE, else file://$HOME/.tug/state.")
    String state;

    @Option(names = {"-v", "--verbose"}, description = "Print more detail, and stack traces on errors.")
    boolean verbose;

    protected TugCommand(Session session) {
        this.session = session;
    }

    @Override
    public final Integer call() throws Exception {
        if (verbose) {
            session.rootVerbose = true;
        }
        return run();
    }

    protected abstract int run() throws Exception;

    protected ClusterRepository repository() {
        ClusterRepository repository = session.openRepository(state);
        detail("state store: " + repository.store().url());
        return repository;
    }

    protected void detail(String line) {
        if (session.rootVerbose) {
            session.err.println(line);
        }
    }
}
