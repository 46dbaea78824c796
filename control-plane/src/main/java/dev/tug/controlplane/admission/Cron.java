package dev.tug.controlplane.admission;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob schedule, read as Kubernetes reads it (robfig/cron's standard parser): five fields
 * (minute, hour, day of month, month, day of week) of {@code *}, {@code ?}, numbers, names
 * ({@code jan}, {@code mon}), ranges, steps and lists; the descriptors {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly} and {@code @every <duration>}; an optional {@code TZ=} or {@code CRON_TZ=}
 * prefix. Parse errors carry the parser's own messages, which Kubernetes shows as they are.
 */
public final class Cron {

    private static final Field MINUTE = new Field(0, 59, Map.of());
    private static final Field HOUR = new Field(0, 23, Map.of());
    private static final Field DAY_OF_MONTH = new Field(1, 31, Map.of());
    private static final Field MONTH = new Field(1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)));
    private static final Field DAY_OF_WEEK = new Field(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3,
            "thu", 4, "fri", 5, "sat", 6));

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)([^0-9.]*)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of("ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000),
            "µs", BigDecimal.valueOf(1_000), "μs", BigDecimal.valueOf(1_000), "ms", BigDecimal.valueOf(1_000_000),
            "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L), "h", BigDecimal.valueOf(3_600_000_000_000L));

    /** A bit above any field's values: the field was written as {@code *} or {@code ?} (matters for days). */
    private static final long STAR = 1L << 63;
    private static final int SEARCH_YEARS = 5;

    private final String spec;
    private final ZoneId zone;
    private final Duration every;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;

    private Cron(String spec, ZoneId zone, Duration every, long[] fields) {
        this.spec = spec;
        this.zone = zone;
        this.every = every;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
    }

    /** Parses a schedule; the exception's message says what is wrong, as Kubernetes would. */
    public static Cron parse(String spec) {
        String rest = spec == null ? "" : spec.strip();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty spec string");
        }
        ZoneId zone = null;
        if (rest.startsWith("TZ=") || rest.startsWith("CRON_TZ=")) {
            int space = rest.indexOf(' ');
            String name = rest.substring(rest.indexOf('=') + 1, space < 0 ? rest.length() : space);
            zone = zone(name).orElseThrow(() -> new IllegalArgumentException(
                    "provided bad location " + name + ": unknown time zone " + name));
            rest = space < 0 ? "" : rest.substring(space).strip();
        }
        if (rest.startsWith("@every ")) {
            return new Cron(spec, zone, every(rest), new long[5]);
        }
        if (rest.startsWith("@")) {
            String fields = DESCRIPTORS.get(rest);
            if (fields == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + rest);
            }
            rest = fields;
        }
        String[] fields = rest.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]");
        }
        long[] bits = {MINUTE.parse(fields[0]), HOUR.parse(fields[1]), DAY_OF_MONTH.parse(fields[2]),
                MONTH.parse(fields[3]), DAY_OF_WEEK.parse(fields[4])};
        return new Cron(spec, zone, null, bits);
    }

    /** Whether {@code spec} is a schedule Kubernetes accepts. */
    public static boolean isValid(String spec) {
        try {
            parse(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The schedule as written. */
    public String spec() {
        return spec;
    }

    /**
     * The first time strictly after {@code after} that the schedule fires, in {@code after}'s zone
     * (evaluated in the schedule's own {@code TZ=} zone when it has one); null when it never
     * fires within five years (e.g. {@code 0 0 30 2 *}).
     */
    public ZonedDateTime next(ZonedDateTime after) {
        if (every != null) {
            return after.truncatedTo(ChronoUnit.SECONDS).plus(every);
        }
        ZonedDateTime t = (zone == null ? after : after.withZoneSameInstant(zone)).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            if (!has(months, t.getMonthValue())) {
                t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!has(hours, t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!has(minutes, t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.withZoneSameInstant(after.getZone());
            }
        }
        return null;
    }

    /** Cron's odd rule: when both day fields are restricted, either may match. */
    private boolean dayMatches(ZonedDateTime t) {
        boolean dayOfMonth = has(daysOfMonth, t.getDayOfMonth());
        boolean dayOfWeek = has(daysOfWeek, t.getDayOfWeek().getValue() % 7);
        boolean eitherStar = (daysOfMonth & STAR) != 0 || (daysOfWeek & STAR) != 0;
        return eitherStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    static Optional<ZoneId> zone(String name) {
        if (name.equals("UTC")) {
            return Optional.of(ZoneId.of("UTC"));
        }
        if (!ZoneId.getAvailableZoneIds().contains(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code @every 1h30m}: Go's duration syntax, at least a second, whole seconds. */
    private static Duration every(String descriptor) {
        String text = descriptor.substring("@every ".length()).strip();
        String body = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        BigDecimal nanos = BigDecimal.ZERO;
        if (!body.equals("0")) {
            Matcher part = DURATION_PART.matcher(body);
            int at = 0;
            while (at < body.length() && part.find(at) && part.start() == at && part.end() > at) {
                String number = part.group(1);
                String unit = part.group(2);
                if (number.isEmpty() || number.equals(".")) {
                    throw badDuration(descriptor, "invalid duration " + GoValues.quote(text));
                }
                if (unit.isEmpty()) {
                    throw badDuration(descriptor, "missing unit in duration " + GoValues.quote(text));
                }
                BigDecimal perUnit = NANOS_PER_UNIT.get(unit);
                if (perUnit == null) {
                    throw badDuration(descriptor, "unknown unit " + GoValues.quote(unit) + " in duration " + GoValues.quote(text));
                }
                nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number).multiply(perUnit));
                at = part.end();
            }
            if (body.isEmpty() || at < body.length()) {
                throw badDuration(descriptor, "invalid duration " + GoValues.quote(text));
            }
        }
        long seconds = nanos.movePointLeft(9).longValue();
        return Duration.ofSeconds(text.startsWith("-") || seconds < 1 ? 1 : seconds);
    }

    private static IllegalArgumentException badDuration(String descriptor, String problem) {
        return new IllegalArgumentException("failed to parse duration " + descriptor + ": time: " + problem);
    }

    /** One of the five fields: its range and the names it accepts. */
    private record Field(int min, int max, Map<String, Integer> names) {

        long parse(String field) {
            long bits = 0;
            for (String range : field.split(",")) {
                if (!range.isEmpty()) {
                    bits |= range(range);
                }
            }
            return bits;
        }

        /** {@code *}, {@code ?}, {@code n}, {@code a-b}, each optionally {@code /step}; {@code n/step} runs to the maximum. */
        private long range(String expression) {
            List<String> rangeAndStep = List.of(expression.split("/", -1));
            List<String> lowAndHigh = List.of(rangeAndStep.get(0).split("-", -1));
            int start;
            int end;
            long star = 0;
            if (lowAndHigh.get(0).equals("*") || lowAndHigh.get(0).equals("?")) {
                start = min;
                end = max;
                star = STAR;
            } else {
                if (lowAndHigh.size() > 2) {
                    throw new IllegalArgumentException("too many hyphens: " + expression);
                }
                start = number(lowAndHigh.get(0));
                end = lowAndHigh.size() == 2 ? number(lowAndHigh.get(1)) : start;
            }
            int step = 1;
            if (rangeAndStep.size() > 2) {
                throw new IllegalArgumentException("too many slashes: " + expression);
            }
            if (rangeAndStep.size() == 2) {
                step = number(rangeAndStep.get(1));
                if (lowAndHigh.size() == 1) {
                    end = max;
                }
                if (step > 1) {
                    star = 0;
                }
            }
            if (start < min) {
                throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + min + "): " + expression);
            }
            if (end > max) {
                throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + max + "): " + expression);
            }
            if (start > end) {
                throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expression);
            }
            if (step == 0) {
                throw new IllegalArgumentException("step of range should be a positive number: " + expression);
            }
            long bits = star;
            for (int value = start; value <= end; value += step) {
                bits |= 1L << value;
            }
            return bits;
        }

        private int number(String text) {
            Integer named = names.get(text.toLowerCase(Locale.ROOT));
            if (named != null) {
                return named;
            }
            if (text.matches("\\+?0*[0-9]{1,9}")) {
                return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
            }
            // Go's strconv.Atoi wording
            String problem = text.matches("\\+?[0-9]+") ? "value out of range" : "invalid syntax";
            throw new IllegalArgumentException("failed to parse int from " + text + ": strconv.Atoi: parsing "
                    + GoValues.quote(text) + ": " + problem);
        }
    }
}
