package dev.tug.controlplane.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A fixed clock and JSON objects for the table tests. */
final class TableFixtures {

    static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TableFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The RFC 3339 timestamp of {@code ago} before {@link #NOW}. */
    static String ago(Duration ago) {
        return NOW.minus(ago).toString();
    }

    static List<Object> cells(String kind, String objectJson) {
        return TableConvertor.cells(kind, json(objectJson), NOW);
    }

    /** The cells kubectl shows without -o wide. */
    static List<Object> defaultCells(String kind, String objectJson) {
        List<Object> all = cells(kind, objectJson);
        List<Column> columns = TableConvertor.columns(kind);
        return all.subList(0, (int) columns.stream().filter(c -> c.priority() == 0).count());
    }
}
