package dev.tug.cli;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import java.io.PrintWriter;
import java.util.List;

/** -o yaml|json for Tug objects: one object as itself, several as a multi-document YAML or a JSON List. */
final class Printing {
    private Printing() {
    }

    /** One named object prints as itself; anything listed prints as a List, however many it holds. */
    static void print(PrintWriter out, List<?> objects, OutputFormat format, boolean single) {
        if (format == OutputFormat.json) {
            out.print(single && objects.size() == 1 ? Manifests.toJson(objects.get(0)) : Manifests.toJsonList(objects));
        } else {
            out.print(Manifests.toYaml(objects));
        }
        out.flush();
    }

    /** kubectl-style lines for a newly stored cluster and its groups. */
    static void created(PrintWriter out, Cluster cluster, List<InstanceGroup> groups) {
        out.println("cluster/" + cluster.name() + " created");
        groups.forEach(group -> out.println("instancegroup/" + group.name() + " created"));
    }

    /** What `get` prints: a table by default (with a note on stderr when empty), else the objects. */
    static void list(Session session, List<?> objects, boolean single, OutputFormat format, String whenEmpty,
                     java.util.function.Supplier<Table> table) {
        if (format != OutputFormat.table) {
            print(session.out, objects, format, single);
        } else if (objects.isEmpty()) {
            session.err.println(whenEmpty);
        } else {
            table.get().print(session.out);
        }
    }
}
