package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/** The instance profile that hands a role to the machines of one launch template. */
final class InstanceProfileTask extends AwsTask {
    static final String TYPE = "IAMInstanceProfile";

    InstanceProfileTask(AwsClients aws, ClusterTags tags, String name) {
        super(aws, tags, TYPE, name, List.of(key(IamRoleTask.TYPE, name)));
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        InstanceProfile profile;
        try {
            profile = aws.iam.getInstanceProfile(r -> r.instanceProfileName(name())).instanceProfile();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
        tags.requireOwned(ClusterTags.map(profile.tags(), Tag::key, Tag::value), "instance profile " + name());
        return Optional.of(new Found(profile.arn(), new Fields()
                .put("path", profile.path())
                .putSet("roles", profile.roles().stream().map(Role::roleName).toList())));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("path", IamRoleTask.PATH).putSet("roles", List.of(name()));
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        String arn;
        List<String> roles = List.of();
        if (live == null) {
            arn = aws.iam.createInstanceProfile(r -> r.instanceProfileName(name()).path(IamRoleTask.PATH)
                    .tags(tags.iam(name()))).instanceProfile().arn();
        } else {
            arn = live.id();
            for (Change change : changes) {
                if (change.field().equals("path")) {
                    throw immutable("instance profile " + name(), change);
                }
            }
            String listed = live.fields().get("roles");
            roles = listed.isEmpty() ? List.of() : List.of(listed.split(", "));
        }
        for (String other : roles) {
            if (!other.equals(name())) {
                aws.iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(name()).roleName(other));
            }
        }
        if (!roles.contains(name())) {
            aws.iam.addRoleToInstanceProfile(r -> r.instanceProfileName(name()).roleName(name()));
        }
        return arn;
    }
}
