package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Rules for {@code metadata} that hold for every kind, and for label maps wherever they appear. */
final class Metadata {

    /** Kubernetes' cap on all annotations of one object together. */
    static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    private Metadata() {
    }

    /**
     * The name (required: the server resolves generateName before validation) under the kind's
     * rule, labels, annotations, finalizers and owner references. Namespace presence is the
     * server's business.
     */
    static void validate(ObjectMeta meta, Function<String, List<String>> nameRule, List<FieldError> errors) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        String name = m.getName();
        if (name == null || name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            Names.report(nameRule.apply(name), "metadata.name", name, errors);
        }
        labels(m.getLabels(), "metadata.labels", errors);
        annotations(m.getAnnotations(), "metadata.annotations", errors);
        finalizers(m.getFinalizers(), "metadata.finalizers", errors);
        ownerReferences(m.getOwnerReferences(), errors);
    }

    /**
     * Identity cannot change on update. A namespace or uid the body leaves out is the server's to
     * fill from the URL and the stored object, so only values given are compared.
     */
    static void validateUpdate(ObjectMeta meta, ObjectMeta old, List<FieldError> errors) {
        if (meta == null || old == null) {
            return;
        }
        unchanged(meta.getName(), old.getName(), "metadata.name", errors);
        if (!isBlank(meta.getNamespace())) {
            unchanged(meta.getNamespace(), old.getNamespace(), "metadata.namespace", errors);
        }
        if (!isBlank(meta.getUid())) {
            unchanged(meta.getUid(), old.getUid(), "metadata.uid", errors);
        }
    }

    /** Label keys are qualified names, values at most 63 characters of a restricted set. */
    static void labels(Map<String, String> labels, String field, List<FieldError> errors) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            Names.report(Names.qualifiedName(key), field, key, errors);
            Names.report(Names.labelValue(value == null ? "" : value), field, value, errors);
        });
    }

    static void finalizers(List<String> finalizers, String field, List<FieldError> errors) {
        for (String finalizer : finalizers == null ? List.<String>of() : finalizers) {
            Names.report(Names.qualifiedName(finalizer), field, finalizer, errors);
            if (!finalizer.contains("/") && !STANDARD_FINALIZERS.contains(finalizer)) {
                errors.add(FieldError.invalid(field, finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }

    /** Adds "field is immutable" when a value changed. */
    static void unchanged(Object value, Object old, String field, List<FieldError> errors) {
        if (!Serialized.same(value, old)) {
            errors.add(FieldError.immutable(field, value));
        }
    }

    static void annotations(Map<String, String> annotations, String field, List<FieldError> errors) {
        if (annotations == null) {
            return;
        }
        int size = 0;
        for (Map.Entry<String, String> entry : annotations.entrySet()) {
            // annotation keys are qualified names in any case
            Names.report(Names.qualifiedName(entry.getKey().toLowerCase()), field, entry.getKey(), errors);
            size += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
        }
        if (size > ANNOTATIONS_MAX_BYTES) {
            errors.add(FieldError.tooLong(field, ANNOTATIONS_MAX_BYTES));
        }
    }

    /** The garbage collector trusts these, so an owner must be fully named and have one controller at most. */
    private static void ownerReferences(List<OwnerReference> owners, List<FieldError> errors) {
        if (owners == null) {
            return;
        }
        String field = "metadata.ownerReferences";
        long controllers = 0;
        for (OwnerReference owner : owners) {
            if (isBlank(owner.getApiVersion()) || owner.getApiVersion().endsWith("/")) {
                errors.add(FieldError.invalid(field + ".apiVersion", nullToEmpty(owner.getApiVersion()), "version must not be empty"));
            }
            if (isBlank(owner.getKind())) {
                errors.add(FieldError.invalid(field + ".kind", nullToEmpty(owner.getKind()), "kind must not be empty"));
            }
            if (isBlank(owner.getName())) {
                errors.add(FieldError.invalid(field + ".name", nullToEmpty(owner.getName()), "name must not be empty"));
            }
            if (isBlank(owner.getUid())) {
                errors.add(FieldError.invalid(field + ".uid", nullToEmpty(owner.getUid()), "uid must not be empty"));
            }
            if (Boolean.TRUE.equals(owner.getController())) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errors.add(FieldError.invalid(field, owners, "Only one reference can have Controller set to true"));
        }
    }

    static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
