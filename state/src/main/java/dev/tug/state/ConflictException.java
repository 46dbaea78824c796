package dev.tug.state;

/** A conditional write found something other than what it expected: someone else changed the object. */
public class ConflictException extends StateStoreException {
    private final String key;

    public ConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ConflictException at(String url, String key, Precondition expected) {
        return new ConflictException(key, url + "/" + key + " changed while Tug was working on it (expected "
                + expected + ")");
    }
}
