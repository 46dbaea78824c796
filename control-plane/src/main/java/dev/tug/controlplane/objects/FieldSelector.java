package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tug.controlplane.api.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fieldSelector} query parameter: {@code path=value}, {@code path==value} and
 * {@code path!=value} terms joined by commas, where a path is a dotted field path of the object
 * ({@code metadata.name}, {@code spec.nodeName}, {@code status.phase},
 * {@code involvedObject.uid}). A missing field compares as the empty string, as in Kubernetes.
 */
public final class FieldSelector {

    private record Term(String[] path, String value, boolean equal) {
        boolean matches(JsonNode object) {
            JsonNode node = object;
            for (String field : path) {
                node = node == null ? null : node.get(field);
            }
            String actual = node == null || node.isNull() ? "" : node.asText();
            return actual.equals(value) == equal;
        }
    }

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String term : text.split(",")) {
            int notEqual = term.indexOf("!=");
            int equal = term.indexOf('=');
            if (notEqual > 0) {
                terms.add(new Term(path(term.substring(0, notEqual)), term.substring(notEqual + 2).trim(), false));
            } else if (equal > 0) {
                int valueStart = term.startsWith("==", equal) ? equal + 2 : equal + 1;
                terms.add(new Term(path(term.substring(0, equal)), term.substring(valueStart).trim(), true));
            } else {
                throw ApiException.badRequest("invalid field selector: \"" + term + "\": expected field=value or field!=value");
            }
        }
        return new FieldSelector(terms);
    }

    /** The value this selector requires for {@code metadata.name}, if any: lets a watch skip the rest. */
    public String requiredName() {
        for (Term term : terms) {
            if (term.equal && term.path.length == 2 && term.path[0].equals("metadata") && term.path[1].equals("name")) {
                return term.value;
            }
        }
        return null;
    }

    public boolean matches(JsonNode object) {
        for (Term term : terms) {
            if (!term.matches(object)) {
                return false;
            }
        }
        return true;
    }

    private static String[] path(String text) {
        return text.trim().split("\\.");
    }
}
