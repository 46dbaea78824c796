package dev.tug.model;

/** The API group and version of Tug's own objects. */
public final class ApiVersion {
    public static final String V1ALPHA1 = "tug.dev/v1alpha1";

    /** Label on an InstanceGroup naming the cluster it belongs to. */
    public static final String CLUSTER_LABEL = "tug.dev/cluster";

    /** Node label naming the instance group a machine came from. */
    public static final String INSTANCE_GROUP_LABEL = "tug.dev/instancegroup";

    private ApiVersion() {
    }
}
