package dev.tug.model;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be used, with every problem found in it. */
public class SpecException extends RuntimeException {
    private final List<Problem> problems;

    public SpecException(String context, List<Problem> problems) {
        super(format(context, problems));
        this.problems = List.copyOf(problems);
    }

    public SpecException(String message) {
        super(message);
        this.problems = List.of();
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(String context, List<Problem> problems) {
        if (problems.size() == 1) {
            return context + ": " + problems.get(0);
        }
        return context + ": " + problems.size() + " problems:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
