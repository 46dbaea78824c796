package dev.tug.cli;

import dev.tug.model.Manifests;
import java.io.PrintWriter;
import java.util.List;

/** -o yaml|json for Tug objects: one object as itself, several as a multi-document YAML or a JSON List. */
final class Printing {
    private Printing() {
    }

    static void print(PrintWriter out, List<?> objects, OutputFormat format) {
        if (format == OutputFormat.json) {
            out.print(objects.size() == 1 ? Manifests.toJson(objects.get(0)) : Manifests.toJsonList(objects));
        } else {
            out.print(Manifests.toYaml(objects));
        }
        out.flush();
    }

    /** What `get` prints: a table by default (with a note on stderr when empty), else the objects. */
    static void list(Session session, List<?> objects, OutputFormat format, String whenEmpty,
                     java.util.function.Supplier<Table> table) {
        if (format != OutputFormat.table) {
            print(session.out, objects, format);
        } else if (objects.isEmpty()) {
            session.err.println(whenEmpty);
        } else {
            table.get().print(session.out);
        }
    }
}
