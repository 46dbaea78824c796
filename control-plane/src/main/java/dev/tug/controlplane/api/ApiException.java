package dev.tug.controlplane.api;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;

import java.util.List;

/**
 * A request that failed in a way Kubernetes clients understand: it carries the HTTP code and the
 * {@code Status} object that goes in the response body.
 */
public class ApiException extends RuntimeException {

    private final Status status;

    public ApiException(Status status) {
        super(status.getMessage());
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.getCode();
    }

    public static ApiException of(int code, String reason, String message) {
        return new ApiException(failure(code, reason, message).build());
    }

    public static ApiException notFound(ResourceType type, String name) {
        return withDetails(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found", type, name);
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return withDetails(409, "AlreadyExists", type.qualifiedName() + " \"" + name + "\" already exists", type, name);
    }

    public static ApiException conflict(ResourceType type, String name, String why) {
        return withDetails(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedName()
                + " \"" + name + "\": " + why, type, name);
    }

    public static ApiException modified(ResourceType type, String name) {
        return conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message);
    }

    public static ApiException invalid(ResourceType type, String name, List<StatusCause> causes) {
        List<String> messages = causes.stream().map(c -> c.getField() + ": " + c.getMessage()).toList();
        String detail = messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
        Status status = failure(422, "Invalid", type.qualifiedKind() + " \"" + name + "\" is invalid: " + detail)
                .withDetails(new StatusDetailsBuilder().withName(name).withGroup(type.group().isEmpty() ? null : type.group())
                        .withKind(type.kind()).withCauses(causes).build())
                .build();
        return new ApiException(status);
    }

    public static ApiException internal(String message) {
        return of(500, "InternalError", "Internal error occurred: " + message);
    }

    private static ApiException withDetails(int code, String reason, String message, ResourceType type, String name) {
        return new ApiException(failure(code, reason, message)
                .withDetails(new StatusDetailsBuilder().withName(name)
                        .withGroup(type.group().isEmpty() ? null : type.group()).withKind(type.plural()).build())
                .build());
    }

    private static StatusBuilder failure(int code, String reason, String message) {
        return new StatusBuilder().withNewMetadata().endMetadata()
                .withStatus("Failure").withMessage(message).withReason(reason).withCode(code);
    }
}
