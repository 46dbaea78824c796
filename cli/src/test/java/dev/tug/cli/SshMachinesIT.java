package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The loopback machines other ITs provision over SSH must really be separate machines, or those ITs prove nothing. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshMachinesIT {

    private static SshMachines machines;

    @BeforeAll
    static void start() throws Exception {
        // under target/ rather than a temp dir, so sshd logs are there to read after a failure
        machines = SshMachines.start(Path.of("target", "it-logs", "ssh-machines"), List.of("127.0.0.2", "127.0.0.3"));
    }

    @AfterAll
    static void stop() {
        if (machines != null) {
            machines.close();
        }
    }

    @Test
    @Order(1)
    void eachMachineSeesItsOwnOptTug() throws Exception {
        Path hostFile = Path.of("/opt/tug/x");
        Files.deleteIfExists(machines.root(0).resolve("opt/x"));
        Files.deleteIfExists(machines.root(1).resolve("opt/x"));

        ssh(0, "echo hello-0 > /opt/tug/x");

        assertEquals("hello-0\n", Files.readString(machines.root(0).resolve("opt/x")));
        assertFalse(Files.exists(machines.root(1).resolve("opt/x")), "machine 1 sees machine 0's file");
        assertFalse(Files.exists(hostFile), "the host sees machine 0's file in /opt/tug");
        assertEquals("no\n", ssh(1, "test -e /opt/tug/x && echo yes || echo no"));
        assertEquals("hello-0\n", ssh(0, "cat /opt/tug/x"));
    }

    @Test
    @Order(2)
    void sftpUploadsLandInTheMachinesFolder() throws Exception {
        Path upload = Files.writeString(machines.root(1).getParent().resolve("upload.txt"), "via sftp\n");
        Path batch = Files.writeString(machines.root(1).getParent().resolve("sftp-batch"),
                "put " + upload.toAbsolutePath() + " /etc/tug/uploaded.txt\n");
        run(List.of("sftp", "-i", machines.privateKey().toString(), "-P", Integer.toString(machines.port()),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", "-b", batch.toAbsolutePath().toString(), "root@" + machines.address(1)));

        assertEquals("via sftp\n", Files.readString(machines.root(1).resolve("etc/uploaded.txt")));
        assertFalse(Files.exists(machines.root(0).resolve("etc/uploaded.txt")));
        assertFalse(Files.exists(Path.of("/etc/tug/uploaded.txt")));
    }

    @Test
    @Order(3)
    void powerOffKillsDaemonsAndPowerOnBringsSshBack() throws Exception {
        ssh(1, "setsid sleep 300 </dev/null >/dev/null 2>&1 &");
        ProcessHandle sleep = await("the sleep on machine 1", () -> machines.processes(1).stream()
                .filter(p -> p.info().command().orElse("").endsWith("/sleep")
                        && List.of(p.info().arguments().orElse(new String[0])).contains("300"))
                .findFirst());
        assertTrue(machines.processes(0).stream().noneMatch(p -> p.pid() == sleep.pid()),
                "machine 0 lists machine 1's sleep");

        machines.stop(1);

        assertFalse(running(sleep.pid()), "the daemon survived power-off: " + sleep.info());
        assertEquals(List.of(), machines.processes(1));
        assertFalse(accepts(machines.address(1), machines.port()), "machine 1 still accepts connections");
        assertEquals("hello-0\n", ssh(0, "cat /opt/tug/x"), "machine 0 is affected by machine 1's power-off");

        machines.start(1);

        assertEquals("via sftp\n", ssh(1, "cat /etc/tug/uploaded.txt"), "machine 1's disk did not survive a reboot");
        assertTrue(machines.processes(1).stream().noneMatch(p -> p.pid() == sleep.pid()));
    }

    @Test
    @Order(4)
    void hostKeyCanBeReplacedAndRestored() throws Exception {
        String original = hostKey(0);
        assertEquals(publicKeyOf(machines.root(0).resolve("sshd/ssh_host_ed25519_key.pub")), original,
                "ssh-keyscan and the machine's key file disagree");
        String other = hostKey(1);

        machines.replaceHostKey(0);
        String replaced = hostKey(0);
        assertNotEquals(original, replaced);
        assertEquals(other, hostKey(1), "machine 1's key changed along with machine 0's");
        assertEquals("ok\n", ssh(0, "echo ok"));

        machines.restoreHostKey(0);
        assertEquals(original, hostKey(0));
        assertEquals("hello-0\n", ssh(0, "cat /opt/tug/x"));
    }

    private static String ssh(int machine, String command) {
        return run(List.of("ssh", "-i", machines.privateKey().toString(), "-p", Integer.toString(machines.port()),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "root@" + machines.address(machine), command));
    }

    /** The ed25519 host key machine i offers right now, as ssh-keyscan sees it. */
    private static String hostKey(int machine) {
        String scan = run(List.of("ssh-keyscan", "-T", "10", "-t", "ed25519", "-p", Integer.toString(machines.port()),
                machines.address(machine)));
        return scan.lines().filter(line -> !line.startsWith("#")).map(SshMachinesIT::keyPart).findFirst()
                .orElseThrow(() -> new AssertionError("ssh-keyscan found no key: " + scan));
    }

    private static String publicKeyOf(Path pub) throws IOException {
        // "ssh-ed25519 AAAA... comment": the same two fields keyscan reports after the host name
        String[] fields = Files.readString(pub).trim().split("\\s+");
        return fields[0] + " " + fields[1];
    }

    private static String keyPart(String keyscanLine) {
        String[] fields = keyscanLine.trim().split("\\s+");
        return fields[1] + " " + fields[2];
    }

    /** Alive and not a zombie (a killed orphan may wait a while for init to reap it). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static <T> T await(String what, java.util.function.Supplier<Optional<T>> probe) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not show up within 10s");
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes());
            int exit = process.waitFor();
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exit + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
