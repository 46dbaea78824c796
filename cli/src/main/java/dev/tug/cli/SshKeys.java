package dev.tug.cli;

import dev.tug.state.SshPublicKey;
import java.nio.file.Path;

/** Finds the operator's SSH public key: the flag, else the usual files in ~/.ssh. */
final class SshKeys {
    private SshKeys() {
    }

    /** The key, or null when none is needed and none was found. */
    static SshPublicKey resolve(Session session, String flag, boolean required) {
        if (flag != null) {
            String path = flag.startsWith("~/") ? session.env.home() + flag.substring(1) : flag;
            return SshPublicKey.read(Path.of(path));
        }
        var found = SshPublicKey.findDefault(session.env);
        if (found.isPresent()) {
            return SshPublicKey.read(found.get());
        }
        if (required) {
            throw new UserException("no SSH public key found (looked for ~/.ssh/id_ed25519.pub and ~/.ssh/id_rsa.pub);"
                    + " pass --ssh-public-key PATH or create one with `ssh-keygen -t ed25519`");
        }
        return null;
    }
}
