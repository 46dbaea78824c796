package dev.tug.controlplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a streamed answer on as it arrives: followed logs must not wait for a full buffer. */
public final class Relay {
    private Relay() {
    }

    public static void chunks(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            out.flush();
        }
    }
}
