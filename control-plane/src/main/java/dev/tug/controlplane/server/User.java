package dev.tug.controlplane.server;

import java.util.List;

/** Who made a request: a client certificate's CN and O fields, or a token's user and groups. */
public record User(String name, List<String> groups) {
}
