package dev.tug.controlplane.admission;

/**
 * One invalid field, as Kubernetes reports it in a 422 {@code Status} cause: the field path, the
 * kind of problem, and a detail ({@code spec.replicas: Invalid value: -1: must be greater than or
 * equal to 0}).
 */
public record FieldError(String field, Reason reason, String detail) {

    public enum Reason {
        FieldValueRequired("Required value"),
        FieldValueNotFound("Not found"),
        FieldValueInvalid("Invalid value"),
        FieldValueNotSupported("Unsupported value"),
        FieldValueDuplicate("Duplicate value"),
        FieldValueForbidden("Forbidden");

        private final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    static FieldError required(String field, String detail) {
        return new FieldError(field, Reason.FieldValueRequired, detail);
    }

    static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(field, Reason.FieldValueInvalid, quote(value) + ": " + detail);
    }

    static FieldError notSupported(String field, Object value, java.util.List<String> supported) {
        return new FieldError(field, Reason.FieldValueNotSupported, quote(value) + ": supported values: "
                + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    static FieldError duplicate(String field, Object value) {
        return new FieldError(field, Reason.FieldValueDuplicate, quote(value));
    }

    /** The cause message: {@code Invalid value: "x": why}. */
    public String causeMessage() {
        return detail == null || detail.isEmpty() ? reason.text : reason.text + ": " + detail;
    }

    /** The whole line: {@code field: Invalid value: "x": why}. */
    public String message() {
        return field + ": " + causeMessage();
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
