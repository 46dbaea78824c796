package dev.tug.controlplane.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one kind is printed: its columns and a function giving one cell per column.
 * {@code conditions} gives a row's {@code conditions} (only pods have any), or null.
 */
record KindTable(
        List<Column> columns,
        BiFunction<JsonNode, Instant, List<Object>> cells,
        Function<JsonNode, ArrayNode> conditions) {

    KindTable(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cells) {
        this(columns, cells, object -> null);
    }

    List<Object> cellsOf(JsonNode object, Instant now) {
        List<Object> row = cells.apply(Fields.orMissing(object), now);
        if (row.size() != columns.size()) {
            throw new IllegalStateException(
                    "a row has " + row.size() + " cells for " + columns.size() + " columns");
        }
        return row;
    }
}
