package dev.tug.controlplane.patch;

/**
 * A patch that could not be applied. {@link #kind()} says which HTTP status the API server should
 * answer with; the message is meant for the {@code Status} it returns.
 */
public final class PatchException extends Exception {

    /** The three ways a PATCH request fails, with the status code and Kubernetes reason for each. */
    public enum Kind {
        /** The patch body is not a patch of its declared type (not an object, malformed operations). */
        BAD_REQUEST(400, "BadRequest"),
        /** The patch is well formed but cannot be applied to this object (failed test, missing path, bad directive). */
        UNPROCESSABLE(422, "Invalid"),
        /** The Content-Type names no patch type the server applies. */
        UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType");

        private final int httpStatus;
        private final String reason;

        Kind(int httpStatus, String reason) {
            this.httpStatus = httpStatus;
            this.reason = reason;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The {@code reason} field of a Kubernetes {@code Status}. */
        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    public PatchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static PatchException badRequest(String message) {
        return new PatchException(Kind.BAD_REQUEST, message);
    }

    static PatchException unprocessable(String message) {
        return new PatchException(Kind.UNPROCESSABLE, message);
    }
}
