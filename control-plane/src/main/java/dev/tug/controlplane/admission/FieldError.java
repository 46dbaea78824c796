package dev.tug.controlplane.admission;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One problem with one field, as Kubernetes reports it in a 422 {@code Status}: {@code field} is the
 * cause's {@code field}, {@code reason.name()} its {@code reason}, {@link #body()} its {@code message},
 * and {@link #message()} the line kubectl prints.
 *
 * <p>{@code detail} is everything that follows the reason's text, the rendered bad value included
 * (Kubernetes keeps the value apart, but only ever prints it in this one place), so
 * {@code invalid("metadata.name", "Foo_Bar", "a lowercase ...")} has the detail
 * {@code "Foo_Bar": a lowercase ...}. Use the factories; the constructor takes the detail as is.
 */
public record FieldError(String field, Reason reason, String detail) {

    /** Kubernetes' {@code field.ErrorType}: the constant's name is the wire value. */
    public enum Reason {
        FieldValueNotFound("Not found"),
        FieldValueRequired("Required value"),
        FieldValueDuplicate("Duplicate value"),
        FieldValueInvalid("Invalid value"),
        FieldValueNotSupported("Unsupported value"),
        FieldValueForbidden("Forbidden"),
        FieldValueTooLong("Too long"),
        FieldValueTooMany("Too many"),
        InternalError("Internal error");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** The words Kubernetes prints for this reason, e.g. "Required value". */
        public String text() {
            return text;
        }
    }

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }

    /** The message without the field, e.g. {@code Invalid value: "Foo_Bar": a lowercase ...}. */
    public String body() {
        return detail.isEmpty() ? reason.text() : reason.text() + ": " + detail;
    }

    /** The whole line, e.g. {@code spec.template.spec.containers[0].image: Required value}. */
    public String message() {
        return field.isEmpty() ? body() : field + ": " + body();
    }

    @Override
    public String toString() {
        return message();
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(field, Reason.FieldValueRequired, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(field, Reason.FieldValueForbidden, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(field, Reason.FieldValueInvalid, withValue(value, detail));
    }

    /** The one rule every "may not change" check shares. */
    public static FieldError immutable(String field, Object value) {
        return invalid(field, value, "field is immutable");
    }

    public static FieldError notSupported(String field, Object value, List<String> supported) {
        String choices = supported.stream().map(GoValues::quote).collect(Collectors.joining(", "));
        return new FieldError(field, Reason.FieldValueNotSupported, withValue(value, "supported values: " + choices));
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(field, Reason.FieldValueDuplicate, GoValues.render(value));
    }

    public static FieldError notFound(String field, Object value) {
        return new FieldError(field, Reason.FieldValueNotFound, GoValues.render(value));
    }

    /** Kubernetes never prints the too-long value itself. */
    public static FieldError tooLong(String field, int maxBytes) {
        return new FieldError(field, Reason.FieldValueTooLong, "must have at most " + maxBytes + " bytes");
    }

    private static String withValue(Object value, String detail) {
        String rendered = GoValues.render(value);
        return detail == null || detail.isEmpty() ? rendered : rendered + ": " + detail;
    }
}
