package dev.tug.cloud.local;

import dev.tug.model.InstanceGroup;
import dev.tug.model.Role;
import dev.tug.model.SpecException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The instance groups in machine order: control-plane groups first, then by name. */
final class MachineGroups {
    private MachineGroups() {
    }

    static List<InstanceGroup> ordered(List<InstanceGroup> groups) {
        List<InstanceGroup> ordered = new ArrayList<>(groups);
        ordered.sort(Comparator.comparing((InstanceGroup g) -> !Role.CONTROL_PLANE.equals(g.spec.role))
                .thenComparing(InstanceGroup::name));
        return ordered;
    }

    /** One API server per cluster for now: its store is embedded in it. */
    static void requireOneControlPlane(String cloud, int controlPlaneMachines) {
        if (controlPlaneMachines != 1) {
            throw new SpecException(cloud + " clusters run exactly one control-plane machine (the API server's store"
                    + " is embedded); this spec has " + controlPlaneMachines + ". Set the control-plane group to 1"
                    + " machine with `tug edit ig`");
        }
    }
}
