package dev.tug.controlplane.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "-2000, <invalid>",
        "-1500, 0s",
        "-1000, 0s",
        "0, 0s",
        "999, 0s",
        "45000, 45s",
        "119999, 119s",
        "120000, 2m",
        "121000, 2m1s",
        "312000, 5m12s",
        "599000, 9m59s",
        "600000, 10m",
        "659000, 10m",
        "10799000, 179m",
        "10800000, 3h",
        "11100000, 3h5m",
        "28799000, 7h59m",
        "28800000, 8h",
        "172799000, 47h",
        "172800000, 2d",
        "190800000, 2d5h",
        "691199000, 7d23h",
        "691200000, 8d",
        "63071999000, 729d",
        "63072000000, 2y",
        "63158400000, 2y1d",
        "252287999000, 7y364d",
        "252288000000, 8y",
        "315360000000, 10y",
    })
    void humanDurationBoundaries(long millis, String expected) {
        assertEquals(expected, Durations.human(Duration.ofMillis(millis)));
    }

    @Test
    void sinceIsUnknownWithoutATime() {
        assertEquals("<unknown>", Durations.since(null, Instant.EPOCH));
    }

    @Test
    void sinceToleratesOneSecondOfClockSkew() {
        Instant now = Instant.parse("2024-06-01T12:00:00Z");
        assertEquals("0s", Durations.since(now.plusSeconds(1), now));
        assertEquals("<invalid>", Durations.since(now.plusSeconds(2), now));
        assertEquals("3h", Durations.since(now.minusSeconds(3 * 3600), now));
    }

    @Test
    void ageReadsRfc3339WithAnyOffsetAndIsUnknownWhenUnreadable() {
        assertEquals("60m", age("{\"metadata\":{\"creationTimestamp\":\"2024-06-01T13:00:00+02:00\"}}"));
        assertEquals("44s", age("{\"metadata\":{\"creationTimestamp\":\"2024-06-01T11:59:15.123456Z\"}}"));
        assertEquals("<unknown>", age("{\"metadata\":{\"creationTimestamp\":\"soon\"}}"));
        assertEquals("<unknown>", age("{\"metadata\":{}}"));
    }

    private static String age(String objectJson) {
        return Fields.age(TableFixtures.json(objectJson), TableFixtures.NOW);
    }
}
