package dev.tug.cli;

import dev.tug.state.ClusterRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** Base of every command that does work: the options every command takes, and access to the state store. */
abstract class TugCommand implements Callable<Integer> {
    protected final Session session;

    // Setters write to the session, so the flag counts wherever it is typed (tug create --state X cluster ...).
    @Option(names = "--state", paramLabel = "URL",
            description = "State store: s3://bucket[/prefix], gs://bucket[/prefix] or file:///path."
                    + " Default: $TUG_STATE_STORE, else file://$HOME/.tug/state.")
    void setState(String state) {
        session.rootState = state;
    }

    @Option(names = {"-v", "--verbose"}, description = "Print more detail, and stack traces on errors.")
    void setVerbose(boolean verbose) {
        session.rootVerbose = session.rootVerbose || verbose;
    }

    protected TugCommand(Session session) {
        this.session = session;
    }

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    protected abstract int run() throws Exception;

    protected ClusterRepository repository() {
        ClusterRepository repository = session.openRepository();
        detail("state store: " + repository.store().url());
        return repository;
    }

    protected void detail(String line) {
        if (session.rootVerbose) {
            session.err.println(line);
        }
    }
}
