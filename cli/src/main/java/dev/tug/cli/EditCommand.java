package dev.tug.cli;

import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import dev.tug.model.Validator;
import dev.tug.state.ClusterRepository;
import dev.tug.state.Versioned;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "edit",
        description = "Edit a cluster or instance group spec in $EDITOR; it is checked before it is stored.",
        subcommands = {EditCommand.EditCluster.class, EditCommand.EditInstanceGroup.class})
final class EditCommand extends CommandGroup {
    private static final String INVALID = "the spec is not valid";

    @Override
    protected String hint() {
        return "say what to edit: `tug edit cluster NAME` or `tug edit ig NAME GROUP`";
    }

    @Command(name = "cluster", description = "Edit a cluster's spec in $EDITOR (or $VISUAL, else vi).",
            footer = {"", "Example:", "  EDITOR=nano tug edit cluster demo"})
    static final class EditCluster extends TugCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String positionalName;
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;

        EditCluster(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            String name = ClusterNames.pick(positionalName, flagName);
            ClusterRepository repository = repository();
            Versioned<Cluster> stored = repository.requireCluster(name);
            List<InstanceGroup> groups = values(repository.instanceGroups(name));
            var edited = new EditLoop(session, "cluster " + name).edit(Manifests.toYaml(stored.value()), text -> {
                Cluster cluster = Manifests.parseOne("the edited cluster", text, Cluster.class);
                ImmutableFields.check("metadata.name", name, cluster.name(), null);
                ImmutableFields.check("spec.cloudProvider", stored.value().spec.cloudProvider,
                        cluster.spec.cloudProvider, null);
                Validator.completeAndCheck(INVALID, cluster, copies(groups));
                return cluster;
            });
            if (edited.isPresent()) {
                EditLoop.save(() -> repository.replaceCluster(stored, edited.get()), Manifests.toYaml(edited.get()));
                session.out.println("cluster/" + name + " edited");
            }
            return 0;
        }
    }

    @Command(name = "instancegroup", aliases = {"ig", "instancegroups"},
            description = "Edit an instance group's spec in $EDITOR.",
            footer = {"", "Examples:", "  tug edit ig demo nodes-local", "  tug edit ig --name demo nodes-local"})
    static final class EditInstanceGroup extends TugCommand {
        @Parameters(paramLabel = "NAME GROUP", arity = "1..2",
                description = "The cluster (unless --name is given) and the instance group.")
        List<String> arguments = new ArrayList<>();
        @Option(names = "--name", paramLabel = "NAME", description = "Cluster name.") String flagName;

        EditInstanceGroup(Session session) {
            super(session);
        }

        @Override
        protected int run() throws Exception {
            if (flagName == null && arguments.size() != 2 || flagName != null && arguments.size() != 1) {
                throw new UserException("give the cluster and the group: `tug edit ig NAME GROUP`");
            }
            String name = ClusterNames.valid(flagName != null ? flagName : arguments.get(0));
            String groupName = arguments.get(arguments.size() - 1);
            ClusterRepository repository = repository();
            Versioned<Cluster> cluster = repository.requireCluster(name);
            Versioned<InstanceGroup> stored = repository.instanceGroup(name, groupName).orElseThrow(() ->
                    new UserException("instance group " + groupName + " not found in cluster " + name
                            + "; `tug get ig --name " + name + "` lists them"));
            List<InstanceGroup> others = values(repository.instanceGroups(name));
            others.removeIf(g -> groupName.equals(g.name()));
            var edited = new EditLoop(session, "instance group " + groupName).edit(Manifests.toYaml(stored.value()),
                    text -> {
                        InstanceGroup group = Manifests.parseOne("the edited instance group", text, InstanceGroup.class);
                        ImmutableFields.check("metadata.name", groupName, group.name(), null);
                        ImmutableFields.check("spec.role", stored.value().spec.role, group.spec.role, null);
                        List<InstanceGroup> all = copies(others);
                        all.add(group);
                        Validator.completeAndCheck(INVALID, Manifests.copy(cluster.value(), Cluster.class), all);
                        return group;
                    });
            if (edited.isPresent()) {
                EditLoop.save(() -> repository.putInstanceGroup(name, java.util.Optional.of(stored), edited.get()),
                        Manifests.toYaml(edited.get()));
                session.out.println("instancegroup/" + groupName + " edited");
            }
            return 0;
        }
    }

    private static <T> List<T> values(List<Versioned<T>> versioned) {
        return new ArrayList<>(versioned.stream().map(Versioned::value).toList());
    }

    private static List<InstanceGroup> copies(List<InstanceGroup> groups) {
        return new ArrayList<>(groups.stream().map(g -> Manifests.copy(g, InstanceGroup.class)).toList());
    }
}
