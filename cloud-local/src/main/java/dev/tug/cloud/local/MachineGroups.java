package dev.tug.cloud.local;

import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Role;
import dev.tug.model.SpecException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the local and metal clouds share about their machines. */
final class MachineGroups {
    private MachineGroups() {
    }

    /** The instance groups in machine order: control-plane groups first, then by name. */
    static List<InstanceGroup> ordered(List<InstanceGroup> groups) {
        List<InstanceGroup> ordered = new ArrayList<>(groups);
        ordered.sort(Comparator.comparing((InstanceGroup g) -> !Role.CONTROL_PLANE.equals(g.spec.role))
                .thenComparing(InstanceGroup::name));
        return ordered;
    }

    /** One API server per cluster for now: its store is embedded in it. */
    static void requireOneControlPlane(String cloud, List<Machine> machines) {
        long controlPlaneMachines = machines.stream().filter(Machine::controlPlane).count();
        if (controlPlaneMachines != 1) {
            throw new SpecException(cloud + " clusters run exactly one control-plane machine (the API server's store"
                    + " is embedded); this spec has " + controlPlaneMachines + ". Set the control-plane group to 1"
                    + " machine with `tug edit ig`");
        }
    }

    /** Recorded machines the spec no longer has, rebuilt from their records so that they can be torn down. */
    static List<Machine> surplus(List<Machine> wanted, Map<String, MachineRecord> records,
                                 Function<MachineRecord, Machine> fromRecord) {
        Set<String> ids = wanted.stream().map(Machine::id).collect(Collectors.toSet());
        return records.values().stream().filter(r -> !ids.contains(r.id)).map(fromRecord).toList();
    }
}
