package dev.tug.model;

/** A set of alike machines of one role, stored under {@code <store>/<cluster>/instancegroup/<name>}. */
public class InstanceGroup {
    public static final String KIND = "InstanceGroup";

    public String apiVersion = ApiVersion.V1ALPHA1;
    public String kind = KIND;
    public ObjectMeta metadata = new ObjectMeta();
    public InstanceGroupSpec spec = new InstanceGroupSpec();

    public InstanceGroup() {
    }

    public InstanceGroup(String clusterName, String name, String role) {
        metadata.name = name;
        metadata.labels.put(ApiVersion.CLUSTER_LABEL, clusterName);
        spec.role = role;
    }

    public String name() {
        return metadata.name;
    }

    /** The cluster named by the {@code tug.dev/cluster} label, or null. */
    public String clusterName() {
        return metadata.labels == null ? null : metadata.labels.get(ApiVersion.CLUSTER_LABEL);
    }

    public boolean isControlPlane() {
        return Role.CONTROL_PLANE.equals(spec.role);
    }
}
