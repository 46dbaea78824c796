package dev.tug.bootstrap;

import dev.tug.model.Role;
import dev.tug.state.CertificateAuthority;
import dev.tug.state.FileStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Setup of a local "machine" (a directory), with a stand-in for java that just sleeps, so that the supervisor,
 * change detection and teardown are exercised for real without running tug's components.
 */
class MachineSetupTest {
    private static final CertificateAuthority CA = CertificateAuthority.generate("test");

    @TempDir
    Path dir;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Machine machine;

    @AfterEach
    void removeMachine() throws Exception {
        if (machine != null) {
            MachineSetup.teardown(new LocalExecutor(machine.address()), machine, false);
        }
    }

    @Test
    void setsUpOnceThenChangesNothingThenRestartsOnlyWhatChanged() throws Exception {
        machine = new Machine("cp-1", "control-plane", Role.CONTROL_PLANE, "127.0.0.1", Map.of("tier", "a"),
                List.of("node-role.kubernetes.io/control-plane=:NoSchedule"), null,
                new MachinePaths(dir.resolve("cp-1").toString()));
        Path java = fakeJava();
        Path jarFile = Files.writeString(dir.resolve("tug.jar"), "jar v1");
        Bootstrapper bootstrapper = new Bootstrapper(new MachineRecords(new FileStateStore(dir.resolve("state")), "demo"),
                (m, pin, progress) -> new LocalExecutor(m.address()), log::add);

        Artifact jar = Artifact.of(jarFile);
        Bootstrapper.Outcome first = bootstrapper.setUp(List.of(machine), setup(jar, java), jar.sha256());
        assertFalse(first.failed(), first.failures().toString());
        List<String> changes = first.reports().get(0).changes();
        assertTrue(changes.containsAll(List.of("tug.jar", "tug-server", "tug-agent", "apiserver.crt", "agent.crt",
                "started server", "started agent")), changes.toString());
        long serverPid = pid("server");
        long agentPid = pid("agent");
        String launcher = Files.readString(Path.of(machine.paths().launcher("agent")));
        assertTrue(launcher.contains("'--register-with-taints' \\\n    'node-role.kubernetes.io/control-plane=:NoSchedule'"),
                launcher);
        assertTrue(launcher.contains("'tier=a,node-role.kubernetes.io/control-plane='"), launcher);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Path.of(machine.paths().launcher("agent")))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Path.of(machine.paths().pki(), "agent.key"))));

        Bootstrapper.Outcome second = bootstrapper.setUp(List.of(machine), setup(jar, java), jar.sha256());
        assertEquals(List.of(), second.reports().get(0).changes());
        assertEquals(serverPid, pid("server"));
        assertEquals(agentPid, pid("agent"));

        // a launcher edited by hand is put back, and only its component restarts
        Files.writeString(Path.of(machine.paths().launcher("agent")), "#!/bin/sh\nexit 1\n");
        Bootstrapper.Outcome third = bootstrapper.setUp(List.of(machine), setup(jar, java), jar.sha256());
        assertEquals(List.of("tug-agent", "restarted agent"), third.reports().get(0).changes());
        assertEquals(serverPid, pid("server"));
        assertNotEquals(agentPid, pid("agent"));

        // a new jar restarts both; a component that died is started again
        ProcessHandle.of(pid("server")).orElseThrow().destroyForcibly();
        awaitGone(serverPid);
        Artifact jar2 = Artifact.of(Files.writeString(dir.resolve("tug.jar"), "jar v2"));
        Bootstrapper.Outcome fourth = bootstrapper.setUp(List.of(machine), setup(jar2, java), jar2.sha256());
        assertTrue(fourth.reports().get(0).changes().containsAll(List.of("tug.jar", "restarted agent")),
                fourth.reports().get(0).changes().toString());
        assertEquals("jar v2", Files.readString(Path.of(machine.paths().jar())));

        long pidBeforeTeardown = pid("agent");
        bootstrapper.tearDown(List.of(machine), false);
        awaitGone(pidBeforeTeardown);
        assertFalse(Files.exists(Path.of(machine.paths().root())));
        machine = null;
    }

    @Test
    void aFailingStepNamesTheMachineAndTheOthersStillFinish() throws Exception {
        Path java = fakeJava();
        Artifact jar = Artifact.of(Files.writeString(dir.resolve("tug.jar"), "jar"));
        machine = new Machine("n-1", "nodes", "Node", "127.0.0.1", Map.of(), List.of(), null,
                new MachinePaths(dir.resolve("n-1").toString()));
        Machine broken = new Machine("n-2", "nodes", "Node", "127.0.0.2", Map.of(), List.of(), null,
                new MachinePaths("/proc/no-such-place"));
        Bootstrapper bootstrapper = new Bootstrapper(new MachineRecords(new FileStateStore(dir.resolve("state")), "demo"),
                (m, pin, progress) -> new LocalExecutor(m.address()), log::add);
        Bootstrapper.Outcome outcome = bootstrapper.setUp(List.of(machine, broken), setup(jar, java), jar.sha256());
        assertEquals(List.of(broken), List.copyOf(outcome.failures().keySet()));
        assertEquals(1, outcome.reports().size());
        assertTrue(log.stream().anyMatch(line -> line.startsWith("[n-2 (127.0.0.2)] FAILED")), log.toString());
        assertTrue(pid("agent") > 0);
    }

    private MachineSetup setup(Artifact jar, Path java) {
        return new MachineSetup(new ClusterSettings("demo", "127.0.0.1", 6443, "127.30.64.0/18", "127.30.128.0/17", CA),
                jar, java.toString(), false);
    }

    /** Stands in for java: runs as long as a component would, and ignores its arguments. */
    private Path fakeJava() throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec sleep 300\n");
        java.toFile().setExecutable(true);
        return java;
    }

    /** The component's process: the child of its supervisor loop. */
    private long pid(String component) throws Exception {
        Path pidFile = Path.of(machine.paths().run(), component + ".pid");
        long loop = Long.parseLong(Files.readString(pidFile).strip());
        for (int i = 0; i < 50; i++) {
            var child = ProcessHandle.of(loop).orElseThrow().children().findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no process under the supervisor of " + component);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " is still running");
            }
            Thread.sleep(50);
        }
    }
}
