package dev.tug.controlplane.objects;

import dev.tug.controlplane.api.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code labelSelector} query parameter: equality ({@code a=b}, {@code a==b}, {@code a!=b})
 * and set-based ({@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}) requirements,
 * all of which must hold.
 */
public final class LabelSelector {

    private static final Pattern SET = Pattern.compile("\\s*([^\\s!=(),]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*");
    private static final Pattern EQUALITY = Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

    private enum Op { IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (op) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String term : splitTopLevel(text)) {
            requirements.add(requirement(term, text));
        }
        return new LabelSelector(requirements);
    }

    /** A selector equal to a map of labels, as in a Service's or ReplicationController's selector. */
    public static LabelSelector of(Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>();
        labels.forEach((k, v) -> requirements.add(new Requirement(k, Op.IN, Set.of(v))));
        return new LabelSelector(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        for (Requirement requirement : requirements) {
            if (!requirement.matches(present)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    private static Requirement requirement(String term, String whole) {
        Matcher m = SET.matcher(term);
        if (m.matches()) {
            Set<String> values = new java.util.LinkedHashSet<>();
            for (String v : m.group(3).split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
            return new Requirement(m.group(1), m.group(2).equals("in") ? Op.IN : Op.NOT_IN, values);
        }
        m = EQUALITY.matcher(term);
        if (m.matches()) {
            return new Requirement(m.group(1), m.group(2).equals("!=") ? Op.NOT_IN : Op.IN, Set.of(m.group(3)));
        }
        m = EXISTS.matcher(term);
        if (m.matches()) {
            return new Requirement(m.group(2), m.group(1).isEmpty() ? Op.EXISTS : Op.NOT_EXISTS, Set.of());
        }
        throw ApiException.badRequest("unable to parse requirement: \"" + term.trim() + "\" in label selector \"" + whole + "\"");
    }

    /** Splits on commas that are not inside parentheses ({@code a in (x,y),b=c}). */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
