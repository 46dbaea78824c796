package dev.tug.controlplane.admission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest
    @ValueSource(strings = {"* * * * *", "*/5 * * * *", "0 0 * * *", "0 9-17 * * mon-fri", "15,45 */2 1,15 * *",
            "0 0 1 jan *", "0 0 * * SUN", "5/15 * * * *", "0-30/10 3 ? * *", "59 23 31 12 6", "@hourly", "@daily",
            "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "@every 90s", "TZ=Europe/Paris 0 6 * * *",
            "CRON_TZ=UTC 0 6 * * *", "  0 0 * * *  ", "*/1 * * * *", "1,,2 * * * *"})
    void acceptsWhatKubernetesAccepts(String spec) {
        assertTrue(Cron.isValid(spec), spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty spec string",
            "* * * *|expected exactly 5 fields, found 4: [* * * *]",
            "* * * * * *|expected exactly 5 fields, found 6: [* * * * * *]",
            "60 * * * *|end of range (60) above maximum (59): 60",
            "* 24 * * *|end of range (24) above maximum (23): 24",
            "* * 0 * *|beginning of range (0) below minimum (1): 0",
            "* * * 13 *|end of range (13) above maximum (12): 13",
            "* * * * 7|end of range (7) above maximum (6): 7",
            "5-1 * * * *|beginning of range (5) beyond end of range (1): 5-1",
            "*/0 * * * *|step of range should be a positive number: */0",
            "1-2-3 * * * *|too many hyphens: 1-2-3",
            "*/2/3 * * * *|too many slashes: */2/3",
            "abc * * * *|failed to parse int from abc: strconv.Atoi: parsing \"abc\": invalid syntax",
            "* * * foo *|failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax",
            "@fortnightly|unrecognized descriptor: @fortnightly",
            "@every 1d|failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"",
            "@every 5|failed to parse duration @every 5: time: missing unit in duration \"5\"",
            "TZ=Mars/Olympus * * * * *|provided bad location Mars/Olympus: unknown time zone Mars/Olympus"})
    void rejectsWithTheParsersMessage(String spec, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Cron.parse(spec));
        assertEquals(message, error.getMessage());
        assertFalse(Cron.isValid(spec));
    }

    @ParameterizedTest
    @CsvSource({
            "*/5 * * * *, 2024-03-10T10:02:30Z, 2024-03-10T10:05:00Z",
            "*/5 * * * *, 2024-03-10T10:05:00Z, 2024-03-10T10:10:00Z",
            "0 0 * * *, 2024-03-10T10:00:00Z, 2024-03-11T00:00:00Z",
            "30 6 1 * *, 2024-01-31T07:00:00Z, 2024-02-01T06:30:00Z",
            "0 0 29 2 *, 2023-03-01T00:00:00Z, 2024-02-29T00:00:00Z",
            "@weekly, 2024-03-06T12:00:00Z, 2024-03-10T00:00:00Z",
            "0 9 * * mon-fri, 2024-03-08T10:00:00Z, 2024-03-11T09:00:00Z",
            "5/20 * * * *, 2024-03-10T10:46:00Z, 2024-03-10T11:05:00Z",
            "@hourly, 2024-12-31T23:59:59Z, 2025-01-01T00:00:00Z",
            "@every 1h30m, 2024-03-10T10:00:00.500Z, 2024-03-10T11:30:00Z"})
    void nextFiringTime(String spec, String after, String expected) {
        assertEquals(ZonedDateTime.parse(expected).withZoneSameInstant(UTC),
                Cron.parse(spec).next(ZonedDateTime.parse(after).withZoneSameInstant(UTC)));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEither() {
        // the 13th, or any Friday: 2024-03-01 is a Friday
        Cron schedule = Cron.parse("0 0 13 * fri");
        ZonedDateTime first = schedule.next(ZonedDateTime.parse("2024-02-28T00:00:00Z"));
        assertEquals(ZonedDateTime.parse("2024-03-01T00:00:00Z"), first);
        assertEquals(ZonedDateTime.parse("2024-03-08T00:00:00Z"), schedule.next(first));
        assertEquals(ZonedDateTime.parse("2024-03-13T00:00:00Z"), schedule.next(ZonedDateTime.parse("2024-03-08T00:00:00Z")));
    }

    @Test
    void starredDayOfWeekMakesDaysOfMonthDecide() {
        assertEquals(ZonedDateTime.parse("2024-03-13T00:00:00Z"), Cron.parse("0 0 13 * *").next(ZonedDateTime.parse("2024-03-01T00:00:00Z")));
    }

    @Test
    void zonePrefixEvaluatesInThatZoneAndAnswersInTheCallersZone() {
        ZonedDateTime next = Cron.parse("TZ=Asia/Tokyo 0 9 * * *").next(ZonedDateTime.parse("2024-03-10T00:30:00Z"));
        assertEquals(ZonedDateTime.parse("2024-03-11T00:00:00Z"), next);
        assertEquals(UTC.normalized(), next.getZone().normalized());
    }

    @Test
    void aScheduleThatNeverFiresHasNoNextTime() {
        assertNull(Cron.parse("0 0 30 2 *").next(ZonedDateTime.parse("2024-01-01T00:00:00Z")));
    }

    @Test
    void keepsTheScheduleAsWritten() {
        assertEquals("@daily", Cron.parse("@daily").spec());
    }
}
