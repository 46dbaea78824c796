package dev.tug.engine;

/** Short descriptions of failures for one-line reports. */
public final class Errors {
    private Errors() {
    }

    public static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
