package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** PersistentVolumeClaims. */
final class VolumeClaimTable {

    static final KindTable TABLE = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
            Columns.string("Volume", "volumeName is the binding reference to the PersistentVolume backing"
                    + " this claim."),
            Columns.string("Capacity", "capacity represents the actual resources of the underlying volume."),
            Columns.string("Access Modes", "accessModes contains the actual access modes the volume backing"
                    + " the PVC has."),
            Columns.string("StorageClass", "StorageClass of the pvc"),
            Columns.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            Columns.AGE,
            Columns.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim.")),
            VolumeClaimTable::cells);

    /** The old way to name a claim's class; it wins over spec.storageClassName. */
    private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    /** kubectl's short access-mode names, in the order it lists them. */
    private static final List<Map.Entry<String, String>> SHORT_ACCESS_MODES = List.of(
            Map.entry("ReadWriteOnce", "RWO"),
            Map.entry("ReadOnlyMany", "ROX"),
            Map.entry("ReadWriteMany", "RWX"),
            Map.entry("ReadWriteOncePod", "RWOP"));

    private VolumeClaimTable() {
    }

    private static List<Object> cells(JsonNode claim, Instant now) {
        JsonNode spec = claim.path("spec");
        String volume = text(spec, "volumeName");
        // Capacity and access modes are those of the bound volume, so blank until the claim is bound.
        boolean bound = !volume.isEmpty();
        String phase = Fields.present(claim, "metadata", "deletionTimestamp")
                ? "Terminating" : text(claim, "status", "phase");
        return List.of(
                Fields.name(claim),
                phase,
                volume,
                bound ? text(claim, "status", "capacity", "storage") : "",
                bound ? accessModes(claim) : "",
                storageClass(claim),
                Fields.orElse(text(spec, "volumeAttributesClassName"), "<unset>"),
                Fields.age(claim, now),
                Fields.orElse(text(spec, "volumeMode"), "<unset>"));
    }

    private static String storageClass(JsonNode claim) {
        JsonNode annotation = Fields.at(claim, "metadata", "annotations", BETA_CLASS_ANNOTATION);
        return annotation.isTextual() ? annotation.asText() : text(claim, "spec", "storageClassName");
    }

    private static String accessModes(JsonNode claim) {
        Set<String> modes = Fields.list(claim, "status", "accessModes").stream()
                .map(JsonNode::asText).collect(Collectors.toSet());
        return SHORT_ACCESS_MODES.stream()
                .filter(mode -> modes.contains(mode.getKey()))
                .map(Map.Entry::getValue)
                .collect(Collectors.joining(","));
    }
}
