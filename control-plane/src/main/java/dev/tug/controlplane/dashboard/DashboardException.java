package dev.tug.controlplane.dashboard;

/** A failure the pages show as it is: the HTTP status to answer with and a message for the operator. */
final class DashboardException extends RuntimeException {
    private final int status;

    DashboardException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
