package dev.tug.controlplane.store;

/** key not found */
public class KeyNotFoundException extends StoreException {
    public KeyNotFoundException(String message) {
        super(message);
    }
}
