package dev.tug.cli;

import dev.tug.model.CloudProvider;
import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.model.Manifests;
import dev.tug.model.SpecException;
import dev.tug.model.Validator;
import dev.tug.state.ClusterRepository;
import dev.tug.state.SshPublicKey;
import dev.tug.state.Versioned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates or replaces the Clusters and InstanceGroups of a file. Every affected cluster is checked whole
 * (cluster plus all its groups, stored and new) before the first write, so bad input changes nothing.
 */
final class ManifestApply {
    enum Mode { CREATE, REPLACE }

    private final Session session;
    private final ClusterRepository repository;
    private final Mode mode;
    private final boolean force;

    /** One cluster touched by the file: what is stored now and what the file brings. */
    private static final class Target {
        final String name;
        Versioned<Cluster> stored;
        Cluster fromFile;
        final Map<String, Optional<Versioned<InstanceGroup>>> storedGroups = new LinkedHashMap<>();
        final List<InstanceGroup> groupsFromFile = new ArrayList<>();

        Target(String name) {
            this.name = name;
        }

        Cluster cluster() {
            return fromFile != null ? fromFile : stored.value();
        }
    }

    ManifestApply(Session session, ClusterRepository repository, Mode mode, boolean force) {
        this.session = session;
        this.repository = repository;
        this.mode = mode;
        this.force = force;
    }

    void apply(List<Object> objects, String sshKeyFlag) {
        Map<String, Target> targets = plan(objects);
        targets.values().forEach(this::check);
        boolean anyNew = targets.values().stream().anyMatch(t -> t.stored == null);
        boolean keyNeeded = targets.values().stream()
                .anyMatch(t -> t.stored == null && t.cluster().cloud() != CloudProvider.LOCAL);
        SshPublicKey sshKey = anyNew ? SshKeys.resolve(session, sshKeyFlag, keyNeeded) : null;
        for (Target target : targets.values()) {
            write(target, sshKey);
        }
    }

    private Map<String, Target> plan(List<Object> objects) {
        long clusterCount = objects.stream().filter(o -> o instanceof Cluster).count();
        String onlyCluster = clusterCount == 1 ? objects.stream().filter(o -> o instanceof Cluster)
                .map(o -> ((Cluster) o).name()).findFirst().orElse(null) : null;
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Object object : objects) {
            if (object instanceof Cluster cluster) {
                String nameProblem = Validator.nameProblem(cluster.name());
                if (nameProblem != null) {
                    throw new SpecException("metadata.name: " + nameProblem);
                }
                Target target = target(targets, cluster.name());
                if (target.fromFile != null) {
                    throw new UserException("cluster " + cluster.name() + " appears twice in the file");
                }
                target.fromFile = cluster;
            }
        }
        for (Object object : objects) {
            if (object instanceof InstanceGroup group) {
                String clusterName = group.clusterName() != null ? group.clusterName() : onlyCluster;
                if (clusterName == null) {
                    throw new UserException("instancegroup/" + group.name() + " does not say which cluster it belongs"
                            + " to; add the label " + dev.tug.model.ApiVersion.CLUSTER_LABEL + ": <cluster name>");
                }
                Target target = target(targets, ClusterNames.valid(clusterName));
                if (target.groupsFromFile.stream().anyMatch(g -> g.name() != null && g.name().equals(group.name()))) {
                    throw new UserException("instancegroup/" + group.name() + " appears twice in the file");
                }
                target.groupsFromFile.add(group);
            }
        }
        return targets;
    }

    private Target target(Map<String, Target> targets, String clusterName) {
        return targets.computeIfAbsent(clusterName, name -> {
            Target target = new Target(name);
            target.stored = repository.cluster(name).orElse(null);
            // Without config, stored groups are leftovers of an interrupted create, which create replaces.
            if (target.stored != null) {
                for (Versioned<InstanceGroup> group : repository.instanceGroups(name)) {
                    target.storedGroups.put(group.value().name(), Optional.of(group));
                }
            }
            return target;
        });
    }

    private void check(Target target) {
        String name = target.name;
        if (target.fromFile != null && target.stored != null && mode == Mode.CREATE) {
            throw new UserException("cluster " + name + " already exists; change it with `tug replace -f` or"
                    + " `tug edit cluster " + name + "`");
        }
        if (target.stored == null && (mode == Mode.REPLACE && !force || target.fromFile == null)) {
            throw new UserException("cluster " + name + " does not exist in " + repository.store().url()
                    + (mode == Mode.REPLACE ? "; create it with `tug create -f`, or use --force"
                    : "; create the cluster first, or put its Cluster in the same file"));
        }
        Cluster cluster = target.cluster();
        if (target.fromFile != null && target.stored != null) {
            ImmutableFields.check("spec.cloudProvider", target.stored.value().spec.cloudProvider, cluster.spec.cloudProvider,
                    "create a new cluster instead");
        }
        for (InstanceGroup group : target.groupsFromFile) {
            Optional<Versioned<InstanceGroup>> stored = target.storedGroups.getOrDefault(group.name(), Optional.empty());
            if (stored.isPresent() && mode == Mode.CREATE) {
                throw new UserException("instancegroup/" + group.name() + " of cluster " + name + " already exists;"
                        + " change it with `tug replace -f` or `tug edit ig " + name + " " + group.name() + "`");
            }
            if (stored.isEmpty() && mode == Mode.REPLACE && !force) {
                throw new UserException("instancegroup/" + group.name() + " of cluster " + name + " does not exist;"
                        + " create it with `tug create -f`, or use --force");
            }
            stored.ifPresent(s -> ImmutableFields.check("instancegroup/" + group.name() + " spec.role", s.value().spec.role,
                    group.spec.role, "create a new instance group instead"));
        }
        List<InstanceGroup> all = new ArrayList<>();
        Map<String, InstanceGroup> fromFile = new LinkedHashMap<>();
        target.groupsFromFile.forEach(g -> fromFile.put(g.name(), g));
        target.storedGroups.forEach((groupName, stored) -> all.add(fromFile.containsKey(groupName)
                ? fromFile.remove(groupName) : stored.get().value()));
        all.addAll(fromFile.values());
        // Defaults for new groups depend on the cluster; check a copy of a stored one so it is not rewritten.
        Cluster checked = target.fromFile == null ? Manifests.copy(cluster, Cluster.class) : cluster;
        Validator.completeAndCheck("cluster " + name + " is not valid", checked, all);
    }

    private void write(Target target, SshPublicKey sshKey) {
        Cluster cluster = target.cluster();
        String verb = mode == Mode.CREATE ? "created" : "replaced";
        if (target.stored == null) {
            repository.create(cluster, target.groupsFromFile, sshKey);
            Printing.created(session.out, cluster, target.groupsFromFile);
            return;
        }
        if (target.fromFile != null) {
            repository.replaceCluster(target.stored, cluster);
            session.out.println("cluster/" + cluster.name() + " " + verb);
        }
        for (InstanceGroup group : target.groupsFromFile) {
            Optional<Versioned<InstanceGroup>> stored = target.storedGroups.getOrDefault(group.name(), Optional.empty());
            repository.putInstanceGroup(cluster.name(), stored, group);
            session.out.println("instancegroup/" + group.name() + " " + (stored.isPresent() ? verb : "created"));
        }
    }
}
