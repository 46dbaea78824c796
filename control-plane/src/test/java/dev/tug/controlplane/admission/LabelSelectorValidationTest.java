package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selector and quantity semantics controllers share with validation. */
class LabelSelectorValidationTest {

    private static LabelSelector selector(String yaml) {
        return Fixtures.read(yaml, LabelSelector.class);
    }

    @Test
    void matchLabelsAndExpressions() {
        LabelSelector selector = selector("""
                matchLabels: {app: web}
                matchExpressions:
                - {key: tier, operator: In, values: [front, edge]}
                - {key: env, operator: NotIn, values: [dev]}
                - {key: canary, operator: DoesNotExist}
                - {key: team, operator: Exists}
                """);
        assertTrue(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "edge", "team", "a")));
        assertTrue(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "front", "team", "a", "env", "prod")));
        assertFalse(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "back", "team", "a")));
        assertFalse(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "edge", "team", "a", "env", "dev")));
        assertFalse(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "edge", "team", "a", "canary", "1")));
        assertFalse(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "edge")));
    }

    @Test
    void missingSelectsNothingEmptySelectsEverything() {
        assertFalse(LabelSelectors.matches(null, Map.of("app", "web")));
        assertTrue(LabelSelectors.matches(selector("{}"), Map.of("app", "web")));
        assertTrue(LabelSelectors.isEmpty(selector("{matchLabels: {}}")));
        assertFalse(LabelSelectors.isEmpty(null));
    }

    @Test
    void malformedSelectorsMatchNothing() {
        assertFalse(LabelSelectors.matches(selector("{matchExpressions: [{key: a, operator: In}]}"), Map.of("a", "b")));
        assertFalse(LabelSelectors.matches(selector("{matchExpressions: [{key: a, operator: Exists, values: [b]}]}"), Map.of("a", "b")));
    }

    @ParameterizedTest
    @CsvSource({"500m, 0.5", "1Gi, 1073741824", "1G, 1000000000", "1e3, 1000", "1.5k, 1500", "100u, 0.0001", "+2, 2", ".5, 0.5", "5., 5"})
    void quantitiesHaveValues(String text, String value) {
        assertEquals(0, new BigDecimal(value).compareTo(Quantities.value(new Quantity(text))), text);
    }

    @Test
    void malformedQuantitiesHaveNone() {
        assertFalse(Quantities.isValid(new Quantity("1GB")));
        assertFalse(Quantities.isValid(new Quantity("abc")));
        assertThrows(IllegalArgumentException.class, () -> Quantities.value(new Quantity("1 Gi")));
    }
}
