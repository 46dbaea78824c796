package dev.tug.cli;

import dev.tug.state.ClusterRepository;
import dev.tug.state.Environment;
import dev.tug.state.StateStore;
import dev.tug.state.StateStores;
import java.io.InputStream;
import java.io.PrintWriter;

/** What one run of tug works with: environment, streams, and the flags given before the subcommand. */
final class Session {
    final Environment env;
    final PrintWriter out;
    final PrintWriter err;
    final InputStream in;
    String rootState;
    boolean rootVerbose;

    Session(Environment env, PrintWriter out, PrintWriter err, InputStream in) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /** Opens the state store and checks it can be used, so a bad bucket fails before anything else happens. */
    ClusterRepository openRepository() {
        String url = StateStores.resolveUrl(rootState, env);
        StateStore store = StateStores.open(url, env);
        store.checkReachable();
        return new ClusterRepository(store);
    }
}
