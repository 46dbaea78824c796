package dev.tug.state;

import java.nio.charset.StandardCharsets;

/** An object's bytes and the opaque version (ETag, generation, content hash) a conditional write names. */
public record Blob(byte[] data, String version) {
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
