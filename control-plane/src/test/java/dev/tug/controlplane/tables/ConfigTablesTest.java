package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTablesTest {

    private static final String METADATA = "\"metadata\": {\"name\": \"settings\", \"creationTimestamp\": \""
            + ago(Duration.ofSeconds(45)) + "\"}";

    @Test
    void configMapCountsDataAndBinaryData() {
        assertEquals(List.of("settings", 3L, "45s"), cells("ConfigMap", "{" + METADATA
                + ", \"data\": {\"a\": \"1\", \"b\": \"2\"}, \"binaryData\": {\"c\": \"AA==\"}}"));
        assertEquals(List.of("settings", 0L, "45s"), cells("ConfigMap", "{" + METADATA + "}"));
    }

    @Test
    void secretShowsTypeAndDataCount() {
        assertEquals(List.of("settings", "kubernetes.io/tls", 2L, "45s"), cells("Secret", "{" + METADATA
                + ", \"type\": \"kubernetes.io/tls\", \"data\": {\"tls.crt\": \"eA==\", \"tls.key\": \"eQ==\"}}"));
        assertEquals(List.of("settings", "Opaque", 0L, "45s"), cells("Secret", "{" + METADATA + "}"));
    }

    @Test
    void serviceAccountCountsSecrets() {
        assertEquals(List.of("settings", 1L, "45s"), cells("ServiceAccount", "{" + METADATA
                + ", \"secrets\": [{\"name\": \"settings-token\"}]}"));
        assertEquals(List.of("settings", 0L, "45s"), cells("ServiceAccount", "{" + METADATA + "}"));
    }
}
