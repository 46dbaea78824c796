package dev.tug.controlplane.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.UncheckedIOException;
import java.util.List;

/** Manifests as a client sends them, and the admission answers for them. */
final class Fixtures {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static <T> T read(String yaml, Class<T> type) {
        try {
            return YAML.readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Read and defaulted, as the server stores it. */
    static <T extends HasMetadata> T defaulted(String yaml, Class<T> type) {
        T object = read(yaml, type);
        Defaulting.apply(object);
        return object;
    }

    static String json(Object object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages kubectl would print for creating this object. */
    static List<String> problems(HasMetadata object) {
        return problems(object, null);
    }

    static List<String> problems(HasMetadata object, HasMetadata old) {
        return Validation.validate(object, old).stream().map(FieldError::message).toList();
    }

    /** Defaults, then validates a new object: the server's create path. */
    static <T extends HasMetadata> List<String> createProblems(String yaml, Class<T> type) {
        return problems(defaulted(yaml, type));
    }
}
