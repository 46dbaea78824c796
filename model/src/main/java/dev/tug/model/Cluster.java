package dev.tug.model;

/** The declarative description of one cluster, as stored under {@code <store>/<name>/config}. */
public class Cluster {
    public static final String KIND = "Cluster";

    public String apiVersion = ApiVersion.V1ALPHA1;
    public String kind = KIND;
    public ObjectMeta metadata = new ObjectMeta();
    public ClusterSpec spec = new ClusterSpec();

    public Cluster() {
    }

    public Cluster(String name, String cloudProvider) {
        metadata.name = name;
        spec.cloudProvider = cloudProvider;
    }

    public String name() {
        return metadata.name;
    }

    public CloudProvider cloud() {
        return CloudProvider.parse(spec.cloudProvider).orElse(null);
    }
}
