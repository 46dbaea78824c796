package dev.tug.controlplane.objects;

import java.util.ArrayList;
import java.util.List;

/**
 * What a write request asked for besides its body ({@code dryRun}, {@code fieldValidation}), and
 * the warnings the server collects for the response's {@code Warning} headers.
 */
public final class RequestOptions {

    public enum FieldValidation { STRICT, WARN, IGNORE }

    private final boolean dryRun;
    private final FieldValidation fieldValidation;
    private final List<String> warnings = new ArrayList<>();

    public RequestOptions(boolean dryRun, FieldValidation fieldValidation) {
        this.dryRun = dryRun;
        this.fieldValidation = fieldValidation;
    }

    /** Internal callers (controllers): real writes, unknown fields dropped silently. */
    public static RequestOptions internal() {
        return new RequestOptions(false, FieldValidation.IGNORE);
    }

    public static FieldValidation fieldValidation(String value) {
        if (value == null || value.isEmpty()) {
            return FieldValidation.WARN;
        }
        return switch (value) {
            case "Strict" -> FieldValidation.STRICT;
            case "Warn" -> FieldValidation.WARN;
            case "Ignore" -> FieldValidation.IGNORE;
            default -> throw dev.tug.controlplane.api.ApiException.badRequest(
                    "fieldValidation must be one of Strict, Warn, Ignore, not \"" + value + "\"");
        };
    }

    public boolean dryRun() {
        return dryRun;
    }

    public FieldValidation fieldValidation() {
        return fieldValidation;
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        return warnings;
    }
}
