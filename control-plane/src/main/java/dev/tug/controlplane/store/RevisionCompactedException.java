package dev.tug.controlplane.store;

/** revision compacted */
public class RevisionCompactedException extends StoreException {
    public RevisionCompactedException(String message) {
        super(message);
    }
}
