package dev.tug.model;

import java.util.Set;

/** A cluster add-on applied through the control plane's API once the cluster is up. */
public class Addon {
    public static final String DASHBOARD = "dashboard";
    public static final Set<String> KNOWN = Set.of(DASHBOARD);

    public String name;
    /** Leave out to take the version shipped with this Tug. */
    public String version;
    /** {@code false} removes the add-on from the cluster at the next update; left out means true. */
    public Boolean enabled;

    public Addon() {
    }

    public Addon(String name) {
        this.name = name;
    }

    public boolean enabled() {
        return enabled == null || enabled;
    }
}
