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
}
