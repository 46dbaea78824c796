package dev.tug.controlplane.controllers;

import dev.tug.controlplane.admission.Cron;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Which scheduled time of a CronJob is due, as a pure function of its schedule, its last run and
 * the time now. Only the most recent missed time runs; {@code startingDeadlineSeconds} bounds how
 * far back to look and how late a start may be.
 */
final class CronSchedule {

    /** More missed times than this and Kubernetes warns: the clock or the schedule is likely off. */
    static final long TOO_MANY_MISSED = 100;

    /**
     * The outcome: the most recent scheduled time not after now ({@code time}, null when none is
     * due), roughly how many were missed, and whether it is already too late to start it.
     */
    record Due(Instant time, long missed, boolean tooLate) {
        static final Due NONE = new Due(null, 0, false);
    }

    private final Cron cron;
    private final ZoneId zone;

    /** {@code zone} is spec.timeZone, or UTC; a {@code TZ=} prefix in the schedule wins over it. */
    CronSchedule(Cron cron, ZoneId zone) {
        this.cron = cron;
        this.zone = zone;
    }

    /** The next scheduled time after {@code now}, or null when the schedule never fires. */
    Instant next(Instant now) {
        ZonedDateTime next = cron.next(now.atZone(zone));
        return next == null ? null : next.toInstant();
    }

    /**
     * The time to run now, given the last scheduled run (or, before the first one, the CronJob's
     * creation) and {@code startingDeadlineSeconds} (null when unset).
     */
    Due due(Instant lastRun, Long startingDeadlineSeconds, Instant now) {
        Instant earliest = lastRun;
        if (startingDeadlineSeconds != null && now.minusSeconds(startingDeadlineSeconds).isAfter(earliest)) {
            earliest = now.minusSeconds(startingDeadlineSeconds); // nothing older would start in time anyway
        }
        Instant first = next(earliest);
        if (first == null || first.isAfter(now)) {
            return Due.NONE;
        }
        Instant second = next(first);
        Instant latest;
        long missed;
        if (second == null || second.isAfter(now)) {
            latest = first;
            missed = 1;
        } else {
            // Kubernetes' estimate: as many as fit at the first interval; exact for regular schedules
            long interval = Math.max(1, Duration.between(first, second).toSeconds());
            missed = Duration.between(first, now).toSeconds() / interval + 1;
            latest = walk(first.plusSeconds((missed - 2) * interval), now);
            if (latest == null) {
                latest = latestBySearch(first, now); // irregular schedule: the estimate overshot
            }
        }
        boolean tooLate = startingDeadlineSeconds != null && latest.plusSeconds(startingDeadlineSeconds).isBefore(now);
        return new Due(latest, missed, tooLate);
    }

    /** The last scheduled time in (from, now], or null when there is none. */
    private Instant walk(Instant from, Instant now) {
        Instant latest = null;
        for (Instant t = next(from); t != null && !t.isAfter(now); t = next(t)) {
            latest = t;
        }
        return latest;
    }

    /**
     * The last scheduled time not after now, knowing {@code first} is one: the latest instant
     * whose next time is still not after now, found by halving (next() only moves forward).
     */
    private Instant latestBySearch(Instant first, Instant now) {
        long low = first.getEpochSecond();
        long high = now.getEpochSecond();
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            Instant next = next(Instant.ofEpochSecond(middle));
            if (next != null && !next.isAfter(now)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        Instant next = next(Instant.ofEpochSecond(low));
        return next != null && !next.isAfter(now) ? next : first;
    }
}
