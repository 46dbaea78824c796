package dev.tug.controlplane.controllers;

import dev.tug.controlplane.admission.Cron;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which scheduled time is due: the decision alone, at fixed instants. */
class CronJobScheduleTest {

    private static CronSchedule schedule(String cron) {
        return new CronSchedule(Cron.parse(cron), ZoneOffset.UTC);
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }

    private final CronSchedule everyFive = schedule("*/5 * * * *");

    @Test
    void nothingIsDueBeforeTheFirstTime() {
        assertEquals(CronSchedule.Due.NONE, everyFive.due(at("2026-11-23T10:00:30Z"), null, at("2026-11-23T10:04:59Z")));
    }

    @Test
    void theTimeThatPassedIsDue() {
        CronSchedule.Due due = everyFive.due(at("2026-11-23T10:00:30Z"), null, at("2026-11-23T10:05:01Z"));
        assertEquals(at("2026-11-23T10:05:00Z"), due.time());
        assertEquals(1, due.missed());
        assertFalse(due.tooLate());
        assertEquals(CronSchedule.Due.NONE, everyFive.due(at("2026-11-23T10:05:00Z"), null, at("2026-11-23T10:09:59Z")),
                "the last run's own time is not due again");
    }

    @Test
    void onlyTheMostRecentMissedTimeRuns() {
        CronSchedule.Due due = everyFive.due(at("2026-11-23T10:00:30Z"), null, at("2026-11-23T10:27:00Z"));
        assertEquals(at("2026-11-23T10:25:00Z"), due.time());
        assertEquals(5, due.missed());
    }

    @Test
    void daysDownAreTooManyMissedTimesButTheLatestStillRuns() {
        CronSchedule.Due due = schedule("* * * * *").due(at("2026-11-20T00:00:00Z"), null, at("2026-11-23T10:00:30Z"));
        assertEquals(at("2026-11-23T10:00:00Z"), due.time());
        assertEquals(4920, due.missed());
        assertTrue(due.missed() > CronSchedule.TOO_MANY_MISSED);
        CronSchedule.Due hourly = schedule("@hourly").due(at("2026-11-18T00:00:00Z"), null, at("2026-11-23T10:30:00Z"));
        assertEquals(at("2026-11-23T10:00:00Z"), hourly.time(), "not a time from days ago");
    }

    @Test
    void theStartingDeadlineBoundsHowLateAStartMayBe() {
        Instant last = at("2026-11-23T10:00:30Z");
        assertEquals(at("2026-11-23T10:05:00Z"), everyFive.due(last, 30L, at("2026-11-23T10:05:20Z")).time());
        assertNull(everyFive.due(last, 30L, at("2026-11-23T10:05:40Z")).time(), "40 s late with a 30 s deadline: skipped");
        CronSchedule.Due recent = everyFive.due(at("2026-11-01T00:00:00Z"), 600L, at("2026-11-23T10:27:00Z"));
        assertEquals(at("2026-11-23T10:25:00Z"), recent.time());
        assertEquals(2, recent.missed(), "only the deadline's window is counted");
    }

    @Test
    void irregularSchedulesFindTheTrueLatestTime() {
        CronSchedule twiceADay = schedule("0 9,17 * * *");
        // first gap 8 h, but every other one is 16 h: the estimate overshoots and a search finds the time
        assertEquals(at("2026-02-28T17:00:00Z"), twiceADay.due(at("2026-01-01T00:00:00Z"), null, at("2026-03-01T08:59:00Z")).time());
        // first gap 16 h: the estimate falls short and the walk catches up
        assertEquals(at("2026-03-01T09:00:00Z"), twiceADay.due(at("2026-01-01T10:00:00Z"), null, at("2026-03-01T12:00:00Z")).time());
        assertEquals(at("2026-02-27T17:00:00Z"), twiceADay.due(at("2026-01-01T10:00:00Z"), null, at("2026-02-28T08:59:59Z")).time());
    }

    @Test
    void everyDurationCountsFromTheLastRun() {
        CronSchedule.Due due = schedule("@every 90s").due(at("2026-11-23T10:00:00Z"), null, at("2026-11-23T10:10:00Z"));
        assertEquals(at("2026-11-23T10:09:00Z"), due.time());
        assertEquals(6, due.missed());
    }

    @Test
    void timeZonesFollowDaylightSavingTime() {
        CronSchedule berlinNine = new CronSchedule(Cron.parse("0 9 * * *"), ZoneId.of("Europe/Berlin"));
        assertEquals(at("2026-01-10T08:00:00Z"), berlinNine.due(at("2026-01-10T00:00:00Z"), null, at("2026-01-10T08:30:00Z")).time());
        assertEquals(at("2026-07-10T07:00:00Z"), berlinNine.due(at("2026-07-10T00:00:00Z"), null, at("2026-07-10T07:30:00Z")).time());
        assertEquals(at("2026-07-11T07:00:00Z"), berlinNine.next(at("2026-07-10T07:30:00Z")));
        CronSchedule prefixed = schedule("CRON_TZ=Asia/Tokyo 0 9 * * *");
        assertEquals(at("2026-07-11T00:00:00Z"), prefixed.next(at("2026-07-10T07:30:00Z")), "a TZ prefix wins");
    }

    @Test
    void theNextTimeIsWhereTheControllerWakesUp() {
        assertEquals(at("2026-11-23T10:05:00Z"), everyFive.next(at("2026-11-23T10:04:59.500Z")));
        assertEquals(at("2026-11-23T10:10:00Z"), everyFive.next(at("2026-11-23T10:05:00Z")));
        assertNull(schedule("0 0 30 2 *").next(at("2026-11-23T10:00:00Z")), "February 30th never comes");
    }
}
