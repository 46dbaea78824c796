package dev.tug.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations on the command line as operators write them: 500ms, 40s, 5m, 18h, 7d. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String flag, String text) {
        try {
            String t = text.trim().toLowerCase();
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.parse("PT" + t.toUpperCase());
            }
            if (d.isNegative() || d.isZero()) {
                throw new DateTimeParseException("not positive", t, 0);
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UserException(flag + " takes a duration such as 500ms, 40s, 5m, 18h or 7d, not \"" + text + "\"");
        }
    }
}
