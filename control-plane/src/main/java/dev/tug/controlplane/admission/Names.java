package dev.tug.controlplane.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Kubernetes' syntax rules for names, keys and values. Each returns the list of problems with
 * the exact wording the Kubernetes API server uses (clients and people match on it), empty when
 * the value is valid. {@link #report} turns such a list into {@link FieldError}s.
 */
public final class Names {

    static final int DNS1123_LABEL_MAX = 63;
    static final int DNS1123_SUBDOMAIN_MAX = 253;
    static final int LABEL_VALUE_MAX = 63;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String PERCENT_FMT = "[0-9]+%";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    private static final String QUALIFIED_NAME_MSG =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private Names() {
    }

    /** A DNS label: container, port and volume names, Namespace names. */
    static List<String> dns1123Label(String value) {
        // a valid subdomain that is not a valid label can only be wrong by its dots
        String patternProblem = DNS1123_SUBDOMAIN.matcher(value).matches() ? "must not contain dots"
                : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                + "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc");
        return lengthAndPattern(value, DNS1123_LABEL_MAX, DNS1123_LABEL, patternProblem);
    }

    /** A DNS subdomain: the names of most kinds. */
    public static List<String> dns1123Subdomain(String value) {
        return lengthAndPattern(value, DNS1123_SUBDOMAIN_MAX, DNS1123_SUBDOMAIN,
                regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                        + "'-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, "example.com"));
    }

    /** A DNS-1035 label: Service names (they become DNS names and environment variable prefixes). */
    public static List<String> dns1035Label(String value) {
        return lengthAndPattern(value, DNS1123_LABEL_MAX, DNS1035_LABEL,
                regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                        + "start with an alphabetic character, and end with an alphanumeric character",
                        DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }

    /** A qualified name, {@code [prefix/]name}: label and annotation keys, finalizers, taint keys. */
    static List<String> qualifiedName(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            errors.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errors;
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2) {
            String prefix = parts[0];
            if (prefix.isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(prefix).forEach(message -> errors.add("prefix part " + message));
            }
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add("name part " + maxLength(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    static List<String> labelValue(String value) {
        return lengthAndPattern(value, LABEL_VALUE_MAX, LABEL_VALUE,
                regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character", LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }

    /** An IANA service name: the name of a container port, usable by probes and Services. */
    static List<String> portName(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 15) {
            errors.add(maxLength(15));
        }
        if (!PORT_NAME_CHARS.matcher(value).matches()) {
            errors.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(value).matches()) {
            errors.add("must contain at least one letter (a-z)");
        }
        if (value.contains("--")) {
            errors.add("must not contain consecutive hyphens");
        }
        if (value.startsWith("-") || value.endsWith("-")) {
            errors.add("must not begin or end with a hyphen");
        }
        return errors;
    }

    static List<String> portNumber(int port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
    }

    /** A ConfigMap or Secret key: it becomes a file name in a volume. */
    static List<String> configKey(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errors.add(maxLength(DNS1123_SUBDOMAIN_MAX));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errors.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errors.add("must not be '.'");
        } else if (value.equals("..")) {
            errors.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errors.add("must not start with '..'");
        }
        return errors;
    }

    /** Kubernetes 1.32's relaxed rule (RelaxedEnvironmentVariableValidation, on by default). */
    static List<String> envVarName(String value) {
        if (value.isEmpty()) {
            return List.of("environment variable name must be non-empty");
        }
        boolean printableAscii = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '=');
        return printableAscii ? List.of()
                : List.of("a valid environment variable name must consist only of printable ASCII characters other than '='");
    }

    static List<String> percent(String value) {
        return PERCENT.matcher(value).matches() ? List.of()
                : List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%"));
    }

    /** A name that must be present and follow {@code rule}; returns it, "" when absent. */
    static String required(String value, Function<String, List<String>> rule, String field, List<FieldError> errors) {
        String name = value == null ? "" : value;
        if (name.isEmpty()) {
            errors.add(FieldError.required(field, ""));
        } else {
            report(rule.apply(name), field, name, errors);
        }
        return name;
    }

    /** A name that may be absent, but follows {@code rule} when present. */
    static void optional(String value, Function<String, List<String>> rule, String field, List<FieldError> errors) {
        if (value != null && !value.isEmpty()) {
            report(rule.apply(value), field, value, errors);
        }
    }

    /** Adds one Invalid error per problem, as Kubernetes does. */
    static void report(List<String> problems, String field, Object value, List<FieldError> errors) {
        problems.forEach(problem -> errors.add(FieldError.invalid(field, value, problem)));
    }

    /** The shape of most of Kubernetes' string rules: a length limit and a pattern, each reported. */
    private static List<String> lengthAndPattern(String value, int max, Pattern pattern, String patternProblem) {
        List<String> problems = new ArrayList<>();
        if (value.length() > max) {
            problems.add(maxLength(max));
        }
        if (!pattern.matcher(value).matches()) {
            problems.add(patternProblem);
        }
        return problems;
    }

    static String maxLength(int length) {
        return "must be no more than " + length + " characters";
    }

    /** Kubernetes' RegexError, including its double space before each "or". */
    private static String regexError(String message, String format, String... examples) {
        StringBuilder out = new StringBuilder(message).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                out.append(" or ");
            }
            out.append('\'').append(examples[i]).append("', ");
        }
        return out.append("regex used for validation is '").append(format).append("')").toString();
    }
}
