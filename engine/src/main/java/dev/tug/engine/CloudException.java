package dev.tug.engine;

/** A problem the operator can fix (credentials, a zone the region lacks, an unknown machine type); one line. */
public class CloudException extends RuntimeException {
    public CloudException(String message) {
        super(message);
    }

    public CloudException(String message, Throwable cause) {
        super(message, cause);
    }
}
