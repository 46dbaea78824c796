package dev.tug.cloud.local;

import dev.tug.bootstrap.Bootstrapper;
import dev.tug.bootstrap.ClusterSettings;
import dev.tug.bootstrap.Machine;
import dev.tug.state.CertificateAuthority;

import java.nio.file.Path;
import java.util.List;

/**
 * A place whose machines exist before tug touches them, so the cloud phase has nothing to create: this machine
 * ({@link LocalCloud}) or hosts reached over SSH ({@link MetalCloud}).
 */
public interface MachineCloud {

    /** The machines the spec asks for, in a stable order (control plane first). */
    List<Machine> machines();

    /** Machines set up earlier that the spec no longer has (a group scaled down or a host removed). */
    List<Machine> surplus();

    /** The API server's address and the ranges the cluster's components use. */
    ClusterSettings settings(CertificateAuthority ca);

    Bootstrapper.Connector connector(Path privateKey);

    /** The java command the components run with. */
    String java();

    /** Whether components may run as systemd units where the machine has systemd. */
    boolean systemdAllowed();
}
