package dev.tug.bootstrap;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Sets up (or tears down) a cluster's machines concurrently, each step logged as {@code [machine] step}.
 * A machine that fails does not stop the others; the failures are returned together.
 */
public final class Bootstrapper {

    /** Opens an executor for a machine, checking its host key against the pin. */
    public interface Connector {
        Executor connect(Machine machine, HostKeyPin hostKey, Consumer<String> progress) throws IOException;
    }

    /** What happened: a report per machine set up, and the reason for each that failed. */
    public record Outcome(List<MachineSetup.Report> reports, Map<Machine, String> failures) {
        public boolean failed() {
            return !failures.isEmpty();
        }

        /** Both outcomes together, for one report. */
        public Outcome and(Outcome other) {
            List<MachineSetup.Report> allReports = new ArrayList<>(reports);
            allReports.addAll(other.reports);
            Map<Machine, String> allFailures = new LinkedHashMap<>(failures);
            allFailures.putAll(other.failures);
            return new Outcome(allReports, allFailures);
        }

        /** {@code m1: why; m2: why}, for an error message. */
        public String describeFailures() {
            return failures.entrySet().stream()
                    .map(e -> e.getKey().label() + ": " + e.getValue()).collect(Collectors.joining("; "));
        }
    }

    private interface Step {
        MachineSetup.Report run(Executor executor, Machine machine, MachineRecord record, Consumer<String> log)
                throws IOException;
    }

    private final MachineRecords records;
    private final Connector connector;
    private final Consumer<String> progress;

    public Bootstrapper(MachineRecords records, Connector connector, Consumer<String> progress) {
        this.records = records;
        this.connector = connector;
        this.progress = progress;
    }

    public Outcome setUp(List<Machine> machines, MachineSetup setup, String jarSha256) {
        return forEach(machines, (executor, machine, record, log) -> {
            MachineSetup.Report report = setup.apply(executor, machine, log);
            record.jarSha256 = jarSha256;
            record.bootstrapped = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            records.put(record);
            return report;
        });
    }

    /** Removes tug from each machine and forgets it. */
    public Outcome tearDown(List<Machine> machines, boolean systemdAllowed) {
        return forEach(machines, (executor, machine, record, log) -> {
            MachineSetup.teardown(executor, machine, systemdAllowed);
            records.delete(machine.id());
            log.accept("removed tug: components stopped, pods killed, files deleted");
            return new MachineSetup.Report(machine, List.of("removed"), java.time.Duration.ZERO);
        });
    }

    private Outcome forEach(List<Machine> machines, Step step) {
        List<MachineSetup.Report> reports = Collections.synchronizedList(new ArrayList<>());
        Map<Machine, String> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        if (machines.isEmpty()) {
            return new Outcome(reports, failures);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(machines.size(), 16), runnable -> {
            Thread thread = new Thread(runnable, "bootstrap");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Machine machine : machines) {
                running.add(pool.submit(() -> {
                    Consumer<String> log = line -> print("[" + machine.label() + "] " + line);
                    try {
                        reports.add(once(machine, step, log));
                    } catch (IOException | RuntimeException e) {
                        String why = e.getMessage() != null ? e.getMessage() : e.toString();
                        failures.put(machine, why);
                        log.accept("FAILED: " + why);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted; re-run the command to finish", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(reports, failures);
    }

    private MachineSetup.Report once(Machine machine, Step step, Consumer<String> log) throws IOException {
        MachineRecord known = records.get(machine.id()).orElse(null);
        MachineRecord record = known != null ? known : MachineRecord.of(machine);
        HostKeyPin pin = new HostKeyPin(record.hostKey);
        try (Executor executor = connector.connect(machine, pin, log)) {
            // recorded before anything is changed, so that delete finds a machine even if setup stops halfway
            boolean changed = known == null || !machine.address().equals(record.address);
            record.address = machine.address();
            if (record.hostKey == null && pin.presented() != null) {
                record.hostKey = pin.presented();
                log.accept("connected; host key " + pin.presented() + " pinned");
                changed = true;
            }
            if (changed) {
                records.put(record);
            }
            return step.run(executor, machine, record, log);
        } catch (SshExecutor.HostKeyMismatchException e) {
            throw new BootstrapException(e.getMessage() + ". If the machine was really reinstalled, delete "
                    + records.location(machine.id()) + " and re-run", e);
        }
    }

    private void print(String line) {
        synchronized (progress) {
            progress.accept(line);
        }
    }
}
