package dev.tug.controlplane.admission;

import java.util.regex.Pattern;

/** Kubernetes' name and label syntax rules, with its error texts. */
final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private Names() {
    }

    static String dnsLabelProblem(String value) {
        if (value.length() > 63) {
            return "must be no more than 63 characters";
        }
        return DNS_LABEL.matcher(value).matches() ? null : "a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character "
                + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }

    static String dnsSubdomainProblem(String value) {
        if (value.length() > 253) {
            return "must be no more than 253 characters";
        }
        return DNS_SUBDOMAIN.matcher(value).matches() ? null : "a lowercase RFC 1123 subdomain must consist of lower "
                + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    /** Label and annotation keys: an optional DNS subdomain prefix and a name of up to 63 characters. */
    static String qualifiedNameProblem(String key) {
        int slash = key.indexOf('/');
        String name = slash >= 0 ? key.substring(slash + 1) : key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || dnsSubdomainProblem(prefix) != null) {
                return "prefix part " + (prefix.isEmpty() ? "must be non-empty" : dnsSubdomainProblem(prefix));
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and be at most 63 characters";
        }
        return null;
    }

    static String labelValueProblem(String value) {
        if (value.length() > 63) {
            return "must be no more than 63 characters";
        }
        return LABEL_VALUE.matcher(value).matches() ? null : "a valid label must be an empty string or consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    }

    static String configKeyProblem(String key) {
        return key.length() <= 253 && CONFIG_KEY.matcher(key).matches() && !key.equals(".") && !key.equals("..")
                ? null : "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    }

    static String envNameProblem(String name) {
        return ENV_NAME.matcher(name).matches() ? null : "a valid environment variable name must consist of "
                + "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
    }
}
