package dev.tug.controlplane.admission;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import java.util.Map;

/** CronJob schedules: standard five-field cron, plus the {@code @hourly}-style macros Kubernetes accepts. */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private CronSchedule() {
    }

    /** The five-field form of a schedule ({@code @daily} becomes {@code 0 0 * * *}). */
    public static String expand(String schedule) {
        String trimmed = schedule.trim();
        if (trimmed.startsWith("TZ=") || trimmed.startsWith("CRON_TZ=")) {
            trimmed = trimmed.substring(trimmed.indexOf(' ') + 1).trim();
        }
        return MACROS.getOrDefault(trimmed, trimmed);
    }

    public static com.cronutils.model.Cron parse(String schedule) {
        return PARSER.parse(expand(schedule));
    }

    static boolean isValid(String schedule) {
        return problem(schedule) == null;
    }

    static String problem(String schedule) {
        try {
            parse(schedule);
            return null;
        } catch (IllegalArgumentException e) {
            return "unparseable schedule: " + e.getMessage();
        }
    }
}
