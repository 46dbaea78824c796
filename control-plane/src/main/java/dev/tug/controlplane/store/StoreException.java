package dev.tug.controlplane.store;

/** A store operation that could not be done; subclasses name the precondition that failed. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
