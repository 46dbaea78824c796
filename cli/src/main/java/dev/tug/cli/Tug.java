package dev.tug.cli;

import dev.tug.model.SpecException;
import dev.tug.state.Environment;
import dev.tug.state.StateStoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tug",
        description = {"Tug creates Kubernetes-compatible clusters on AWS, GCP, your own machines (metal) or this"
                + " machine (local), and keeps them as their spec says.",
                "",
                "A cluster's spec lives in a state store (--state). Typical flow:",
                "  tug create cluster demo --cloud local --node-count 2 --yes",
                "  tug validate cluster demo --wait 5m",
                "  kubectl --context demo get nodes",
                "  tug edit ig demo nodes-local; tug update cluster demo --yes",
                "  tug delete cluster demo --yes"},
        mixinStandardHelpOptions = true,
        // every subcommand gets --help (and -V) too
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionCommand.Provider.class,
        subcommands = {CreateCommand.class, UpdateCommand.class, ValidateCommand.class, ReplaceCommand.class,
                EditCommand.class, GetCommand.class, DeleteCommand.class, ExportCommand.class, ServerCommand.class, AgentCommand.class, DashboardCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Tug implements Runnable {
    private final Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Tug(Session session) {
        this.session = session;
    }

    @Option(names = "--state", paramLabel = "URL", scope = CommandLine.ScopeType.LOCAL,
            description = "State store for every command (see each command's --state).")
    void setState(String state) {
        session.rootState = state;
    }

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.LOCAL,
            description = "Print more detail, and stack traces on errors.")
    void setVerbose(boolean verbose) {
        session.rootVerbose = session.rootVerbose || verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(session.out);
    }

    public static void main(String[] args) {
        System.exit(run(args, Environment.system(), System.out, System.err, System.in));
    }

    /** Runs one tug command line; returns the exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, Environment env, OutputStream stdout, OutputStream stderr, InputStream stdin) {
        PrintWriter out = writer(stdout);
        PrintWriter err = writer(stderr);
        Session session = new Session(env, out, err, stdin);
        CommandLine cli = new CommandLine(new Tug(session), new SessionFactory(session));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpAutoWidth(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("Error: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (session.rootVerbose) {
                e.printStackTrace(err);
            }
            err.println("Error: " + describe(e));
            if (!session.rootVerbose && !expected(e)) {
                err.println("Re-run with -v for details.");
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean expected(Exception e) {
        return e instanceof UserException || e instanceof SpecException || e instanceof StateStoreException
                || e instanceof dev.tug.engine.CloudException;
    }

    private static String describe(Exception e) {
        if (expected(e)) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static PrintWriter writer(OutputStream stream) {
        if (stream instanceof PrintStream print) {
            return new PrintWriter(print, true);
        }
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** Gives every command the session through its constructor. */
    private record SessionFactory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                var constructor = type.getDeclaredConstructor(Session.class);
                constructor.setAccessible(true);
                return constructor.newInstance(session);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
