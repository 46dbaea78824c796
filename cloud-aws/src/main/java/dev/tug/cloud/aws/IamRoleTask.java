package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/** The IAM role a role's machines run as; EC2 may assume it. Kept under the path /tug/ so delete can list it. */
final class IamRoleTask extends AwsTask {
    static final String TYPE = "IAMRole";
    static final String PATH = "/tug/";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    IamRoleTask(AwsClients aws, ClusterTags tags, String name) {
        super(aws, tags, TYPE, name, List.of());
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Role role;
        try {
            role = aws.iam.getRole(r -> r.roleName(name())).role();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
        var tagMap = ClusterTags.map(aws.iam.listRoleTags(r -> r.roleName(name())).tags(), Tag::key, Tag::value);
        tags.requireOwned(tagMap, "IAM role " + name());
        String trust = URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        return Optional.of(new Found(role.roleName(), new Fields()
                .put("path", role.path())
                .put("trust", Policies.principals(trust))
                .put("tags", liveTagsField(tagMap))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("path", PATH).put("trust", "ec2.amazonaws.com").put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        List<Tag> tagList = tags.iam(name());
        if (live == null) {
            aws.iam.createRole(r -> r.roleName(name()).path(PATH).assumeRolePolicyDocument(TRUST).tags(tagList)
                    .description("machines of tug cluster " + tags.cluster()));
            return name();
        }
        for (Change change : changes) {
            switch (change.field()) {
                case "trust" -> aws.iam.updateAssumeRolePolicy(r -> r.roleName(name()).policyDocument(TRUST));
                case "tags" -> aws.iam.tagRole(r -> r.roleName(name()).tags(tagList));
                default -> throw immutable("IAM role " + name(), change);
            }
        }
        return name();
    }
}
