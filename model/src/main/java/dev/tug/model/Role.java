package dev.tug.model;

import java.util.List;

/** Instance group roles. Plain strings in the spec so validation can report every bad value at once. */
public final class Role {
    public static final String CONTROL_PLANE = "ControlPlane";
    public static final String NODE = "Node";
    public static final List<String> ALL = List.of(CONTROL_PLANE, NODE);

    private Role() {
    }
}
