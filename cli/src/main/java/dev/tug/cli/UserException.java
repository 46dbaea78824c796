package dev.tug.cli;

/** A mistake in what the operator asked for; printed as one line without a stack trace. */
class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
