package dev.tug.cloud.local;

import dev.tug.bootstrap.Machine;
import dev.tug.bootstrap.MachineRecord;
import dev.tug.model.NewCluster;
import dev.tug.model.SpecException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineCloudsTest {

    @Test
    void localMachinesKeepTheirAddressesAndNewOnesTakeTheLowestFree() {
        NewCluster.Spec spec = spec("local", 3, List.of(), List.of());
        MachineRecord kept = record("nodes-local-2", "nodes-local", "127.20.0.2");
        MachineRecord gone = record("nodes-local-9", "nodes-local", "127.20.0.9");
        LocalCloud cloud = new LocalCloud(spec.cluster(), spec.instanceGroups(),
                Map.of(kept.id, kept, gone.id, gone), Path.of("/tmp/machines"));
        List<Machine> machines = cloud.machines();
        assertEquals(List.of("control-plane-local-1", "nodes-local-1", "nodes-local-2", "nodes-local-3"),
                machines.stream().map(Machine::id).toList());
        assertEquals(List.of("127.20.0.1", "127.20.0.3", "127.20.0.2", "127.20.0.4"),
                machines.stream().map(Machine::address).toList());
        assertEquals("/tmp/machines/demo/nodes-local-1", machines.get(1).paths().root());
        assertEquals(List.of("nodes-local-9"), cloud.surplus().stream().map(Machine::id).toList());
        var settings = cloud.settings(null);
        assertEquals("https://127.20.0.1:6443", settings.apiServerUrl());
        assertEquals("127.20.64.0/18", settings.serviceCidr());
        assertEquals("127.20.128.0/17", settings.clusterCidr());
    }

    @Test
    void localNetworksAreLoopbackBlocks() {
        assertEquals(33, LocalNetwork.parse("127.33.0.0/16").block());
        SpecException e = assertThrows(SpecException.class, () -> LocalNetwork.parse("172.20.0.0/16"));
        assertTrue(e.getMessage().contains("127.20.0.0/16"), e.getMessage());
        assertEquals("127.22.0.0/16", LocalNetwork.pickFree(Set.of("127.20.0.0/16"),
                address -> address.equals("127.21.0.1")).orElseThrow().cidr());
    }

    @Test
    void metalMachinesAreTheirHosts() {
        NewCluster.Spec spec = spec("metal", null, List.of("127.0.0.2:2222"), List.of("admin@127.0.0.3", "127.0.0.4:2200"));
        MetalCloud cloud = new MetalCloud(spec.cluster(), spec.instanceGroups(), Map.of());
        List<Machine> machines = cloud.machines();
        assertEquals(List.of("root@127.0.0.2:2222", "admin@127.0.0.3", "root@127.0.0.4:2200"),
                machines.stream().map(m -> m.ssh().toString()).toList());
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), machines.stream().map(Machine::nodeName).toList());
        assertTrue(machines.get(0).controlPlane());
        assertEquals("https://127.0.0.2:6443", cloud.settings(null).apiServerUrl());
    }

    @Test
    void oneControlPlaneMachineOnly() {
        NewCluster.Spec spec = spec("metal", null, List.of("127.0.0.2", "127.0.0.3", "127.0.0.5"), List.of("127.0.0.4"));
        SpecException e = assertThrows(SpecException.class,
                () -> new MetalCloud(spec.cluster(), spec.instanceGroups(), Map.of()).machines());
        assertTrue(e.getMessage().contains("exactly one control-plane machine"), e.getMessage());
    }

    private static NewCluster.Spec spec(String cloud, Integer nodes, List<String> controlPlaneHosts, List<String> nodeHosts) {
        NewCluster.Options options = new NewCluster.Options();
        options.name = "demo";
        options.cloud = cloud;
        options.nodeCount = nodes;
        options.controlPlaneHosts = controlPlaneHosts;
        options.nodeHosts = nodeHosts;
        return NewCluster.build(options);
    }

    private static MachineRecord record(String id, String group, String address) {
        MachineRecord record = new MachineRecord();
        record.id = id;
        record.instanceGroup = group;
        record.role = "Node";
        record.address = address;
        return record;
    }

}
