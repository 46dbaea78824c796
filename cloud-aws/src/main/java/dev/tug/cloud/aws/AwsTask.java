package dev.tug.cloud.aws;

import dev.tug.engine.Task;
import java.util.List;

/** What every AWS task shares: the clients, the cluster's tags, its type, name and dependencies. */
abstract class AwsTask implements Task {
    protected final AwsClients aws;
    protected final ClusterTags tags;
    private final String type;
    private final String name;
    private final List<String> dependsOn;

    AwsTask(AwsClients aws, ClusterTags tags, String type, String name, List<String> dependsOn) {
        this.aws = aws;
        this.tags = tags;
        this.type = type;
        this.name = name;
        this.dependsOn = List.copyOf(dependsOn);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependsOn() {
        return dependsOn;
    }

    static String key(String type, String name) {
        return type + "/" + name;
    }

    /** Puts the cluster's tags on EC2 objects whose tags drifted (cloudLabels edited, a tag removed by hand). */
    protected void retag(String id) {
        aws.ec2.createTags(r -> r.resources(id).tags(tags.ec2(name)));
    }

    protected String tagsField() {
        return ClusterTags.field(tags.of(name));
    }

    /** The live tags, kept to the keys tug writes: tags others add (tag policies, controllers) are not drift. */
    protected String liveTagsField(java.util.Map<String, String> live) {
        java.util.Map<String, String> ours = new java.util.LinkedHashMap<>();
        tags.of(name).keySet().stream().filter(live::containsKey).forEach(key -> ours.put(key, live.get(key)));
        return ClusterTags.field(ours);
    }

    protected static dev.tug.engine.CloudException immutable(String what, dev.tug.engine.Change change) {
        return new dev.tug.engine.CloudException(what + ": " + change.field() + " cannot change in place ("
                + change + "); delete the cluster and create it again, or change the spec back");
    }
}
