package dev.tug.node.runtime;

/**
 * A container that could not start, with the waiting reason Kubernetes would show
 * ({@code ErrImagePull}, {@code CreateContainerError}, {@code RunContainerError}, ...).
 */
public final class ContainerFailure extends Exception {

    private final String reason;

    public ContainerFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ContainerFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
