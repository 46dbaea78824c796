package dev.tug.controlplane.tables;

import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' short human-readable durations (AGE, LAST SEEN, "5m ago"): about two significant
 * figures, e.g. "45s", "5m12s", "3h", "2d5h", "3y". The boundaries are those kubectl users see.
 */
public final class Durations {

    private Durations() {
    }

    /** How long ago {@code then} was; "<unknown>" when it is not known. */
    public static String since(Instant then, Instant now) {
        return then == null ? "<unknown>" : human(Duration.between(then, now));
    }

    public static String human(Duration duration) {
        long seconds = wholeSeconds(duration);
        // Up to one second in the future is clock skew between machines, shown as now.
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 2 * 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return withRemainder(minutes, "m", seconds % 60, "s");
        }
        if (minutes < 3 * 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return withRemainder(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (hours < 24 * 8) {
            return withRemainder(days, "d", hours % 24, "h");
        }
        if (hours < 24 * 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        if (hours < 24 * 365 * 8) {
            return withRemainder(years, "y", days % 365, "d");
        }
        return years + "y";
    }

    /** "5m", or "5m12s" when the smaller unit is not zero. */
    private static String withRemainder(long value, String unit, long remainder, String remainderUnit) {
        return remainder == 0 ? value + unit : value + unit + remainder + remainderUnit;
    }

    /** Seconds truncated toward zero, so -1.5s counts as -1 (within the skew allowance). */
    private static long wholeSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return seconds < 0 && duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
