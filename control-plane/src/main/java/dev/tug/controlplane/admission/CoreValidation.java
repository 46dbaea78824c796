package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Rules for the remaining kinds: Namespace, Node, ConfigMap, Secret, Event, PersistentVolumeClaim, and autoscaling/v1 Scale. */
final class CoreValidation {

    /** Kubernetes' cap on a ConfigMap's or Secret's data (etcd's value limit with headroom). */
    static final int MAX_DATA_BYTES = 1024 * 1024;
    static final String IMMUTABLE_SET = "field is immutable when `immutable` is set";

    private static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F.:]+/[0-9]{1,3}");
    private static final String REDACTED = "<secret contents redacted>";

    private CoreValidation() {
    }

    static void namespace(Namespace namespace, List<FieldError> errors) {
        if (namespace.getSpec() != null) {
            Metadata.finalizers(namespace.getSpec().getFinalizers(), "spec.finalizers", errors);
        }
    }

    static void node(Node node, List<FieldError> errors) {
        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        Taints.taints(Fill.list(spec.getTaints()), "spec.taints", errors);
        if (!Fill.isAbsent(spec.getPodCIDR())) {
            cidr(spec.getPodCIDR(), "spec.podCIDR", errors);
        }
        List<String> podCIDRs = Fill.list(spec.getPodCIDRs());
        for (int i = 0; i < podCIDRs.size(); i++) {
            cidr(podCIDRs.get(i), "spec.podCIDRs[" + i + "]", errors);
        }
    }

    static void configMap(ConfigMap configMap, ConfigMap old, List<FieldError> errors) {
        Map<String, String> data = orEmpty(configMap.getData());
        Map<String, String> binary = orEmpty(configMap.getBinaryData());
        long size = 0;
        for (Map.Entry<String, String> entry : data.entrySet()) {
            Names.report(Names.configKey(entry.getKey()), "data[" + entry.getKey() + "]", entry.getKey(), errors);
            // both become files of one directory in a volume
            if (binary.containsKey(entry.getKey())) {
                errors.add(FieldError.invalid("data[" + entry.getKey() + "]", entry.getKey(), "duplicate of key present in binaryData"));
            }
            size += Metadata.utf8Length(entry.getValue());
        }
        size += encodedEntries(binary, "binaryData", Map.Entry::getKey, errors);
        if (size > MAX_DATA_BYTES) {
            errors.add(FieldError.tooLong("", MAX_DATA_BYTES));
        }
        if (old != null) {
            immutableData(old.getImmutable(), configMap.getImmutable(), errors,
                    new Change("data", !Objects.equals(data, orEmpty(old.getData()))),
                    new Change("binaryData", !Objects.equals(binary, orEmpty(old.getBinaryData()))));
        }
    }

    static void secret(Secret secret, Secret old, List<FieldError> errors) {
        Map<String, String> data = orEmpty(secret.getData());
        long size = encodedEntries(data, "data", entry -> REDACTED, errors);
        if (size > MAX_DATA_BYTES) {
            errors.add(FieldError.tooLong("data", MAX_DATA_BYTES));
        }
        secretType(secret, data, errors);
        if (old != null) {
            Metadata.unchanged(secret.getType(), old.getType(), "type", errors);
            immutableData(old.getImmutable(), secret.getImmutable(), errors,
                    new Change("data", !Objects.equals(data, orEmpty(old.getData()))));
        }
    }

    /** Old-style events (no eventTime) belong to the namespace of the object they describe. */
    static void event(Event event, List<FieldError> errors) {
        String namespace = event.getMetadata() == null ? "" : Metadata.nullToEmpty(event.getMetadata().getNamespace());
        String involved = event.getInvolvedObject() == null ? "" : Metadata.nullToEmpty(event.getInvolvedObject().getNamespace());
        boolean matches = involved.isEmpty() ? namespace.isEmpty() || namespace.equals("default") : namespace.equals(involved);
        if (event.getEventTime() == null && !matches) {
            errors.add(FieldError.invalid("involvedObject.namespace", involved, "does not match event.namespace"));
        }
    }

    static void scale(Scale scale, List<FieldError> errors) {
        if (scale.getSpec() != null) {
            PodValidation.nonNegative(scale.getSpec().getReplicas(), "spec.replicas", errors);
        }
    }

    static void persistentVolumeClaim(PersistentVolumeClaim claim, PersistentVolumeClaim old, List<FieldError> errors) {
        PersistentVolumeClaimSpec spec = claim.getSpec() == null ? new PersistentVolumeClaimSpec() : claim.getSpec();
        if (Fill.list(spec.getAccessModes()).isEmpty()) {
            errors.add(FieldError.required("spec.accessModes", "at least 1 access mode is required"));
        }
        for (String mode : Fill.list(spec.getAccessModes())) {
            if (!ACCESS_MODES.contains(mode)) {
                errors.add(FieldError.notSupported("spec.accessModes", mode, ACCESS_MODES));
            }
        }
        LabelSelectors.validate(spec.getSelector(), "spec.selector", errors);
        Quantity storage = spec.getResources() == null ? null : orEmpty(spec.getResources().getRequests()).get("storage");
        String storagePath = "spec.resources[storage]";
        if (storage == null) {
            errors.add(FieldError.required(storagePath, ""));
        } else if (!Quantities.isValid(storage)) {
            errors.add(FieldError.invalid(storagePath, Quantities.text(storage), Quantities.SYNTAX_MESSAGE));
        } else if (Quantities.value(storage).signum() <= 0) {
            errors.add(FieldError.invalid(storagePath, Quantities.text(storage), "must be greater than zero"));
        }
        Names.optional(spec.getStorageClassName(), Names::dns1123Subdomain, "spec.storageClassName", errors);
        if (spec.getVolumeMode() != null && !VOLUME_MODES.contains(spec.getVolumeMode())) {
            errors.add(FieldError.notSupported("spec.volumeMode", spec.getVolumeMode(), VOLUME_MODES));
        }
        if (old != null && old.getSpec() != null) {
            claimUpdate(spec, old, errors);
        }
    }

    /**
     * A claim's spec is fixed once made, but for growing a bound claim, changing its volume
     * attributes class, and the binder naming its volume once.
     */
    private static void claimUpdate(PersistentVolumeClaimSpec spec, PersistentVolumeClaim old, List<FieldError> errors) {
        PersistentVolumeClaimSpec comparable = Serialized.copy(spec, PersistentVolumeClaimSpec.class);
        PersistentVolumeClaimSpec before = old.getSpec();
        boolean bound = old.getStatus() != null && "Bound".equals(old.getStatus().getPhase());
        if (bound) {
            comparable.setResources(before.getResources());
        }
        comparable.setVolumeAttributesClassName(before.getVolumeAttributesClassName());
        if (Fill.isAbsent(before.getVolumeName())) {
            comparable.setVolumeName(before.getVolumeName());
        }
        if (!Serialized.same(comparable, before)) {
            errors.add(FieldError.forbidden("spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
    }

    /** Entries whose values are base64 (Secret data, ConfigMap binaryData): keys, encoding, and decoded size. */
    private static long encodedEntries(Map<String, String> entries, String field,
                                       Function<Map.Entry<String, String>, String> shown, List<FieldError> errors) {
        long size = 0;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String path = field + "[" + entry.getKey() + "]";
            Names.report(Names.configKey(entry.getKey()), path, entry.getKey(), errors);
            try {
                size += Base64.getDecoder().decode(Metadata.nullToEmpty(entry.getValue())).length;
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.invalid(path, shown.apply(entry), "illegal base64 data"));
            }
        }
        return size;
    }

    private static void secretType(Secret secret, Map<String, String> data, List<FieldError> errors) {
        String type = Metadata.nullToEmpty(secret.getType());
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                Map<String, String> annotations = secret.getMetadata() == null ? Map.of() : orEmpty(secret.getMetadata().getAnnotations());
                if (Fill.isAbsent(annotations.get("kubernetes.io/service-account.name"))) {
                    errors.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
            }
            case "kubernetes.io/dockercfg" -> requiredKeys(data, errors, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> requiredKeys(data, errors, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                // either may be empty, but one must be there
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    requiredKeys(data, errors, "username", "password");
                }
            }
            case "kubernetes.io/ssh-auth" -> requiredKeys(data, errors, "ssh-privatekey");
            case "kubernetes.io/tls" -> requiredKeys(data, errors, "tls.crt", "tls.key");
            default -> {
            }
        }
    }

    private static void requiredKeys(Map<String, String> data, List<FieldError> errors, String... keys) {
        for (String key : keys) {
            if (!data.containsKey(key)) {
                errors.add(FieldError.required("data[" + key + "]", ""));
            }
        }
    }

    /** A field that {@code immutable: true} freezes, and whether this update changed it. */
    private record Change(String field, boolean changed) {
    }

    /** Once {@code immutable: true}, it stays so and the data it guards cannot change. */
    private static void immutableData(Boolean wasImmutable, Boolean isImmutable, List<FieldError> errors, Change... guarded) {
        if (!Boolean.TRUE.equals(wasImmutable)) {
            return;
        }
        if (!Boolean.TRUE.equals(isImmutable)) {
            errors.add(FieldError.forbidden("immutable", IMMUTABLE_SET));
        }
        for (Change change : guarded) {
            if (change.changed()) {
                errors.add(FieldError.forbidden(change.field(), IMMUTABLE_SET));
            }
        }
    }

    private static void cidr(String value, String path, List<FieldError> errors) {
        String[] parts = value.split("/", 2);
        boolean valid = CIDR.matcher(value).matches() && ServiceValidation.isIP(parts[0])
                && Integer.parseInt(parts[1]) <= (parts[0].contains(":") ? 128 : 32);
        if (!valid) {
            errors.add(FieldError.invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
        }
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> map) {
        return map == null ? Map.of() : map;
    }
}
