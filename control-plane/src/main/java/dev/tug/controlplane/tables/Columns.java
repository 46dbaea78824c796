package dev.tug.controlplane.tables;

import java.util.ArrayList;
import java.util.List;

/** Column definitions shared by several kinds, and short factories for the rest. */
final class Columns {

    static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources,"
            + " although some resources may allow a client to request the generation of an appropriate name"
            + " automatically. Name is primarily intended for creation idempotence and configuration definition."
            + " Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    static final String CREATION_DOC = "CreationTimestamp is a timestamp representing the server time when this"
            + " object was created. It is not guaranteed to be set in happens-before order across separate"
            + " operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
            + "Populated by the system. Read-only. Null for lists. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    static final Column NAME = new Column("Name", "string", "name", NAME_DOC, 0);
    static final Column AGE = string("Age", CREATION_DOC);

    /** The three -o wide columns of every kind that runs a pod template. */
    static final List<Column> TEMPLATE_WIDE = List.of(
            wide("Containers", "Names of each container in the template."),
            wide("Images", "Images referenced by each container in the template."),
            wide("Selector", "A label query over pods that are managed by this object."));

    private Columns() {
    }

    static Column string(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }

    /** {@code defaults} followed by {@link #TEMPLATE_WIDE}. */
    static List<Column> withTemplateWide(Column... defaults) {
        List<Column> all = new ArrayList<>(List.of(defaults));
        all.addAll(TEMPLATE_WIDE);
        return List.copyOf(all);
    }
}
