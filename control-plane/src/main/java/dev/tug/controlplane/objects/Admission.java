package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.admission.Defaulting;
import dev.tug.controlplane.admission.FieldError;
import dev.tug.controlplane.admission.Validation;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;

import java.util.List;

/**
 * The path every written object takes: bound to its model type (type errors are 400), unknown
 * fields refused, warned about or dropped per {@code fieldValidation}, defaulted, validated
 * (422 with one cause per field), and turned back into the JSON that is stored.
 */
final class Admission {

    private Admission() {
    }

    static ObjectNode admit(ResourceType type, ObjectNode desired, ObjectNode old, RequestOptions options) {
        HasMetadata typed = TypedObjects.bind(type, desired);
        List<String> unknown = TypedObjects.removeUnknownFields(typed);
        if (!unknown.isEmpty()) {
            List<String> messages = unknown.stream().map(path -> "unknown field \"" + path + "\"").toList();
            switch (options.fieldValidation()) {
                case STRICT -> throw ApiException.badRequest(type.kind() + " in version \"" + type.version()
                        + "\" cannot be handled as a " + type.kind() + ": strict decoding error: "
                        + String.join(", ", messages));
                case WARN -> messages.forEach(options::warn);
                case IGNORE -> { }
            }
        }
        Defaulting.apply(typed);
        HasMetadata oldTyped = old == null ? null : TypedObjects.bind(type, old);
        List<FieldError> errors = Validation.validate(typed, oldTyped);
        if (!errors.isEmpty()) {
            throw invalid(type, typed.getMetadata().getName(), errors);
        }
        ObjectNode admitted = TypedObjects.json(typed);
        Json.metadata(admitted).remove("resourceVersion");
        return admitted;
    }

    /** The 422 for field errors found here or later on the write path (e.g. by an allocator). */
    static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
        return ApiException.invalid(type, name, errors.stream().map(Admission::cause).toList());
    }

    private static StatusCause cause(FieldError error) {
        return cause(error.field(), error.reason().name(), error.body());
    }

    static StatusCause cause(String field, String reason, String message) {
        return new StatusCauseBuilder().withField(field).withReason(reason).withMessage(message).build();
    }
}
