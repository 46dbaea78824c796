package dev.tug.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file to put on a machine: its path there, its mode, and either bytes or a local file to copy. */
public record FileContent(String path, String mode, byte[] bytes, Path localFile) {

    public static FileContent text(String path, String mode, String text) {
        return new FileContent(path, mode, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    public static FileContent copyOf(String path, String mode, Path localFile) {
        return new FileContent(path, mode, null, localFile);
    }

    public long length() throws IOException {
        return bytes != null ? bytes.length : Files.size(localFile);
    }

    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(localFile);
    }
}
