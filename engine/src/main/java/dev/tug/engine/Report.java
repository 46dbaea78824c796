package dev.tug.engine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The dry-run report: what would be created (with its key fields) and what would change, field by field. */
public final class Report {
    private Report() {
    }

    public static void print(Engine.Result result, PrintWriter out) {
        List<Outcome> creates = result.outcomes().stream().filter(o -> o.action() == Outcome.Action.CREATE).toList();
        List<Outcome> modifies = result.outcomes().stream().filter(o -> o.action() == Outcome.Action.MODIFY).toList();
        if (!creates.isEmpty()) {
            out.println("Will create resources:");
            for (Outcome outcome : creates) {
                out.println("  " + outcome.task().key());
                int width = outcome.desired().asMap().keySet().stream().mapToInt(String::length).max().orElse(0);
                for (Map.Entry<String, String> field : outcome.desired().asMap().entrySet()) {
                    if (!field.getValue().isEmpty()) {
                        out.println("    " + pad(field.getKey(), width) + "  " + field.getValue());
                    }
                }
                out.println();
            }
        }
        if (!modifies.isEmpty()) {
            out.println("Will modify resources:");
            for (Outcome outcome : modifies) {
                out.println("  " + outcome.task().key());
                for (Change change : outcome.changes()) {
                    out.println("    " + change);
                }
                out.println();
            }
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
