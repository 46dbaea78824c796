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

/**
 * The role's inline policy, least privilege: only the read-only calls its machines make. Tug bootstraps machines
 * over SSH, so they need no access to the state store or to change anything in the account.
 */
final class IamRolePolicyTask extends AwsTask {
    static final String TYPE = "IAMRolePolicy";
    private final List<String> actions;

    IamRolePolicyTask(AwsClients aws, ClusterTags tags, String role, List<String> actions) {
        super(aws, tags, TYPE, role, List.of(key(IamRoleTask.TYPE, role)));
        this.actions = actions;
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        if (context.id(dependsOn().get(0)).isEmpty()) {
            return Optional.empty();
        }
        try {
            String document = aws.iam.getRolePolicy(r -> r.roleName(name()).policyName(name())).policyDocument();
            return Optional.of(new Found(name(), new Fields().putSet("allow",
                    Policies.allowedActions(URLDecoder.decode(document, StandardCharsets.UTF_8)))));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().putSet("allow", actions);
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        // PutRolePolicy creates or replaces the whole document
        aws.iam.putRolePolicy(r -> r.roleName(name()).policyName(name()).policyDocument(Policies.allow(actions)));
        return name();
    }
}
