package dev.tug.bootstrap;

/**
 * What the state store remembers of a machine ({@code machines/<id>}): where it is, the SSH host key pinned on
 * first contact, and what was last installed on it.
 */
public class MachineRecord {
    public String id;
    public String instanceGroup;
    public String role;
    /** The address its components bind to. */
    public String address;
    /** {@code user@host:port} for machines reached over SSH. */
    public String ssh;
    /** Fingerprint (SHA256:...) of the SSH host key, pinned on first contact. */
    public String hostKey;
    /** SHA-256 of the tug jar last installed. */
    public String jarSha256;
    /** When setup last completed (ISO-8601). */
    public String bootstrapped;

    public static MachineRecord of(Machine machine) {
        MachineRecord record = new MachineRecord();
        record.id = machine.id();
        record.instanceGroup = machine.instanceGroup();
        record.role = machine.role();
        record.address = machine.address();
        record.ssh = machine.ssh() == null ? null : machine.ssh().toString();
        return record;
    }
}
