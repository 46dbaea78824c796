package dev.tug.bootstrap;

import dev.tug.model.Role;

import java.util.List;
import java.util.Map;

/**
 * One machine of a cluster as bootstrap sees it: which instance group it belongs to, the address its components
 * bind to, the Node it becomes, and how it is reached ({@code ssh} is null for the local cloud's machines).
 */
public record Machine(String id, String instanceGroup, String role, String address, Map<String, String> labels,
                      List<String> taints, SshTarget ssh, MachinePaths paths) {

    public boolean controlPlane() {
        return Role.CONTROL_PLANE.equals(role);
    }

    /** The Node name: the machine's id. */
    public String nodeName() {
        return id;
    }

    /** tug's components on this machine: every machine runs an agent, control-plane machines the API server too. */
    public List<String> components() {
        return controlPlane() ? List.of("server", "agent") : List.of("agent");
    }

    /** For progress lines: {@code nodes-local-1 (127.20.0.2)}. */
    public String label() {
        return id.equals(address) ? id : id + " (" + address + ")";
    }
}
