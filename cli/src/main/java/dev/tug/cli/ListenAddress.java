package dev.tug.cli;

/** A {@code --listen HOST:PORT} flag's value, checked ({@code [::1]:80} for IPv6). */
record ListenAddress(String host, int port) {

    static ListenAddress parse(String value, String example) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new UserException("--listen must be HOST:PORT, e.g. " + example + ", not \"" + value + "\"");
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        try {
            return new ListenAddress(host, Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new UserException("--listen port must be a number, not \"" + value.substring(colon + 1) + "\"");
        }
    }

    /** Why a server could not start on the address, in one line with what to do. */
    static UserException cannotServe(String listen, java.io.IOException e, String hint) {
        String why = e.getCause() instanceof java.net.BindException bind ? bind.getMessage() : e.getMessage();
        return new UserException("cannot serve on " + listen + ": " + why + " (" + hint + ")");
    }
}
