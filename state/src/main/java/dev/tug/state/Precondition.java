package dev.tug.state;

import java.util.Optional;

/** What a write expects to find: nothing, a given version, or (for state nobody else writes) anything. */
public final class Precondition {
    private static final Precondition ABSENT = new Precondition(null, true);
    private static final Precondition NONE = new Precondition(null, false);

    private final String version;
    private final boolean mustBeAbsent;

    private Precondition(String version, boolean mustBeAbsent) {
        this.version = version;
        this.mustBeAbsent = mustBeAbsent;
    }

    public static Precondition absent() {
        return ABSENT;
    }

    public static Precondition matches(String version) {
        return new Precondition(version, false);
    }

    /** Unconditional; only for objects that are never edited concurrently. */
    public static Precondition none() {
        return NONE;
    }

    /** Expect exactly what was read: the same version, or still nothing. */
    public static Precondition as(Optional<Blob> read) {
        return read.map(blob -> matches(blob.version())).orElse(ABSENT);
    }

    public boolean mustBeAbsent() {
        return mustBeAbsent;
    }

    /** The version that must be current, or null. */
    public String version() {
        return version;
    }

    /** Whether an object currently at {@code current} (null when absent) satisfies this precondition. */
    public boolean allows(String current) {
        if (mustBeAbsent) {
            return current == null;
        }
        return version == null || version.equals(current);
    }

    @Override
    public String toString() {
        return mustBeAbsent ? "absent" : version == null ? "any" : "version " + version;
    }
}
