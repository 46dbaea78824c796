package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeClaimTableTest {

    private static final String CREATED = "\"creationTimestamp\": \"" + ago(Duration.ofMinutes(90)) + "\"";

    @Test
    void boundClaimShowsTheVolumeCapacityAndModes() {
        String claim = "{\"metadata\": {\"name\": \"data\", " + CREATED + "}, \"spec\": {\"volumeName\": \"pvc-1a2b\","
                + " \"storageClassName\": \"standard\", \"volumeMode\": \"Filesystem\", \"accessModes\": [\"ReadWriteOnce\"],"
                + " \"resources\": {\"requests\": {\"storage\": \"8Gi\"}}}, \"status\": {\"phase\": \"Bound\","
                + " \"capacity\": {\"storage\": \"10Gi\"}, \"accessModes\": [\"ReadWriteOncePod\", \"ReadWriteOnce\"]}}";

        assertEquals(List.of("data", "Bound", "pvc-1a2b", "10Gi", "RWO,RWOP", "standard", "<unset>", "90m", "Filesystem"),
                cells("PersistentVolumeClaim", claim));
    }

    @Test
    void pendingClaimHasNoCapacityYet() {
        String claim = "{\"metadata\": {\"name\": \"data\", " + CREATED + ", \"annotations\": {"
                + "\"volume.beta.kubernetes.io/storage-class\": \"legacy\"}}, \"spec\": {\"storageClassName\": \"standard\","
                + " \"volumeAttributesClassName\": \"gold\", \"resources\": {\"requests\": {\"storage\": \"8Gi\"}}},"
                + " \"status\": {\"phase\": \"Pending\"}}";

        assertEquals(List.of("data", "Pending", "", "", "", "legacy", "gold", "90m", "<unset>"),
                cells("PersistentVolumeClaim", claim));
    }

    @Test
    void deletedClaimIsTerminating() {
        String claim = "{\"metadata\": {\"name\": \"data\", \"deletionTimestamp\": \"" + ago(Duration.ofSeconds(3))
                + "\"}, \"status\": {\"phase\": \"Bound\"}}";

        assertEquals("Terminating", cells("PersistentVolumeClaim", claim).get(1));
    }
}
