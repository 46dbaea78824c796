package dev.tug.bootstrap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a machine's SSH server is: {@code [user@]host[:port]}. */
public record SshTarget(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile("^(?:([^@\\s]+)@)?([A-Za-z0-9][-A-Za-z0-9.]*)(?::(\\d{1,5}))?$");

    /** Parses {@code [user@]host[:port]}; the user defaults to {@code defaultUser}, the port to 22. */
    public static SshTarget parse(String text, String defaultUser) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not [user@]host[:port]");
        }
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port " + port + " is not between 1 and 65535");
        }
        return new SshTarget(m.group(1) != null ? m.group(1) : defaultUser, m.group(2), port);
    }

    public boolean isRoot() {
        return "root".equals(user);
    }

    @Override
    public String toString() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}
