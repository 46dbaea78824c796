package dev.tug.cli;

/** Fields a stored object keeps for life (names, cloud, role): changing them means a new object. */
final class ImmutableFields {
    private ImmutableFields() {
    }

    /** Fails when {@code before} is set and {@code after} differs; {@code hint} (may be null) says what to do. */
    static void check(String field, String before, String after, String hint) {
        if (before != null && !before.equals(after)) {
            throw new UserException(field + " cannot be changed (" + before + " -> " + after + ")"
                    + (hint == null ? "" : "; " + hint));
        }
    }
}
