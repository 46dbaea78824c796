package dev.tug.controlplane.store;

/** key already exists */
public class KeyExistsException extends StoreException {
    public KeyExistsException(String message) {
        super(message);
    }
}
