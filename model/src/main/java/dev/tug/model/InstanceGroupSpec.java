package dev.tug.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class InstanceGroupSpec {
    /** ControlPlane or Node. */
    public String role;
    public String machineType;
    public String image;
    public Integer minSize;
    public Integer maxSize;
    public List<String> zones = new ArrayList<>();
    /** Subnet names; derived from the zones when left out. */
    public List<String> subnets = new ArrayList<>();
    /** Root disk in GiB. */
    public Integer rootVolumeSize;
    public Map<String, String> nodeLabels = new LinkedHashMap<>();
    /** key=value:Effect, as kubectl taint takes them. */
    public List<String> taints = new ArrayList<>();
    /** For metal: the existing machines, as host or host:port of their SSH server. */
    public List<String> hosts = new ArrayList<>();
}
