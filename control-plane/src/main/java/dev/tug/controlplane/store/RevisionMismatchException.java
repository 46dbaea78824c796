package dev.tug.controlplane.store;

/** the key was modified */
public class RevisionMismatchException extends StoreException {
    public RevisionMismatchException(String message) {
        super(message);
    }
}
