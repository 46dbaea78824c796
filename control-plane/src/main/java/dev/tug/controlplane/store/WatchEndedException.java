package dev.tug.controlplane.store;

/** watch ended */
public class WatchEndedException extends StoreException {
    public WatchEndedException(String message) {
        super(message);
    }
}
