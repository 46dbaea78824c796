package dev.tug.cloud.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The tags that mark an object as the cluster's (KubernetesCluster, kubernetes.io/cluster/NAME=owned, Name, and
 * the spec's cloudLabels), in the shapes the different AWS APIs take them, and the names with AWS's limits.
 */
public final class ClusterTags {
    public static final String CLUSTER = "KubernetesCluster";
    public static final String NAME = "Name";
    public static final String OWNED = "owned";

    private final String cluster;
    private final Map<String, String> labels;

    public ClusterTags(String cluster, Map<String, String> labels) {
        this.cluster = cluster;
        this.labels = labels == null ? Map.of() : labels;
    }

    public String cluster() {
        return cluster;
    }

    public String ownershipKey() {
        return "kubernetes.io/cluster/" + cluster;
    }

    /** Every tag an object called {@code name} carries, in a stable order. */
    public Map<String, String> of(String name) {
        Map<String, String> tags = new LinkedHashMap<>(labels);
        tags.put(CLUSTER, cluster);
        tags.put(ownershipKey(), OWNED);
        tags.put(NAME, name);
        return tags;
    }

    /** The tags as one comparable field value: sorted key=value pairs. */
    public static String field(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(", "));
    }

    public List<Tag> ec2(String name) {
        return of(name).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    public List<software.amazon.awssdk.services.iam.model.Tag> iam(String name) {
        return of(name).entrySet().stream().map(e -> software.amazon.awssdk.services.iam.model.Tag.builder()
                .key(e.getKey()).value(e.getValue()).build()).toList();
    }

    public TagSpecification ec2Specification(ResourceType type, String name) {
        return TagSpecification.builder().resourceType(type).tags(ec2(name)).build();
    }

    /** Filters that find the cluster's own EC2 object with this Name tag. */
    public List<Filter> ec2Filters(String name) {
        return List.of(filter("tag:" + ownershipKey(), OWNED), filter("tag:" + NAME, name));
    }

    /** Filters that find every EC2 object the cluster owns. */
    public List<Filter> ec2OwnedFilters() {
        return List.of(filter("tag:" + ownershipKey(), OWNED));
    }

    public static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    public static Map<String, String> ec2Map(List<Tag> tags) {
        return map(tags, Tag::key, Tag::value);
    }

    /** Any service's tags as key -> value; each AWS service has its own Tag type with the same two fields. */
    public static <T> Map<String, String> map(java.util.Collection<T> tags, java.util.function.Function<T, String> key,
                                              java.util.function.Function<T, String> value) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(key.apply(t), value.apply(t)));
        return map;
    }

    public boolean owns(Map<String, String> tags) {
        return OWNED.equals(tags.get(ownershipKey()));
    }

    /** Refuses an object found by name that is not the cluster's: tug must neither adopt nor change it. */
    public void requireOwned(Map<String, String> tags, String what) {
        if (!owns(tags)) {
            throw new dev.tug.engine.CloudException(what + " exists but is not tagged as owned by cluster " + cluster
                    + "; rename or delete it");
        }
    }

    /**
     * A load balancer or target group name: at most 32 letters, digits and hyphens. Long cluster names are cut and
     * given a hash of the full name, so two clusters never share one.
     */
    public String shortName(String prefix) {
        String base = (prefix + "-" + cluster).replaceAll("[^A-Za-z0-9-]", "-");
        if (base.length() <= 32) {
            return base;
        }
        return base.substring(0, 23).replaceAll("-+$", "") + "-" + hash(cluster).substring(0, 8);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
