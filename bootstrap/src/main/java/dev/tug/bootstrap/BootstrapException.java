package dev.tug.bootstrap;

import java.io.IOException;

/** A machine could not be set up; the message says which step and why. */
public class BootstrapException extends IOException {
    public BootstrapException(String message) {
        super(message);
    }

    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
