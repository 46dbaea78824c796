package dev.tug.cli;

import dev.tug.cloud.aws.AwsCloud;
import dev.tug.engine.Cloud;
import dev.tug.engine.CloudException;
import dev.tug.engine.Engine;
import dev.tug.engine.Outcome;
import dev.tug.engine.OwnedResource;
import dev.tug.engine.Report;
import dev.tug.engine.Retry;
import dev.tug.engine.TaskGraph;
import dev.tug.engine.Teardown;
import dev.tug.model.CloudProvider;
import dev.tug.model.Cluster;
import dev.tug.model.InstanceGroup;
import dev.tug.state.ClusterRepository;
import dev.tug.state.Versioned;
import java.time.Duration;
import java.util.List;

/**
 * Update and delete for clusters in a cloud (AWS): the engine's dry-run report, applying the cloud phase, and
 * deleting everything tagged as the cluster's.
 */
final class CloudProvisioning {
    /** Tasks running at once; AWS throttles per account, and most of the graph is a chain anyway. */
    private static final int THREADS = 8;
    private static final Duration RETRY_LIMIT = Duration.ofMinutes(3);

    private CloudProvisioning() {
    }

    static boolean handles(Cluster cluster) {
        return cluster.cloud() == CloudProvider.AWS;
    }

    static Cloud open(Session session, ClusterRepository repository, Cluster cluster) {
        List<InstanceGroup> groups = repository.instanceGroups(cluster.name()).stream().map(Versioned::value).toList();
        return switch (cluster.cloud()) {
            case AWS -> new AwsCloud(cluster, groups, repository.sshPublicKeys(cluster.name()), session.env);
            default -> throw new UserException("tug cannot provision " + cluster.spec.cloudProvider + " clusters yet");
        };
    }

    /** Runs the cloud phase: without {@code yes} prints what would change, with it makes the changes. */
    static void update(Session session, Cloud cloud, Cluster cluster, boolean yes) throws Exception {
        String name = cluster.name();
        try {
            TaskGraph graph = new TaskGraph(asked(cloud, cloud::tasks));
            Engine engine = new Engine(THREADS, new Retry(RETRY_LIMIT, cloud::passing, session.err::println),
                    cloud::explain, session.err::println);
            if (yes) {
                session.err.println("Phase cloud: " + graph.size() + " resources in " + cluster.spec.cloudProvider
                        + " " + cluster.spec.region);
            }
            Engine.Result result = engine.run(graph, yes);
            if (!result.failures().isEmpty()) {
                for (Outcome failure : result.failures()) {
                    session.err.println("  " + failure.task().key() + ": " + failure.error());
                }
                throw new UserException(result.failures().size() + " of " + graph.size() + " resources failed; "
                        + (yes ? "the others are done. Fix this and re-run `tug update cluster " + name + " --yes`"
                        : "nothing was changed"));
            }
            if (!yes) {
                Report.print(result, session.out);
                session.out.println(result.changes() ? "Must specify --yes to apply changes"
                        : "No changes need to be applied");
                return;
            }
            if (!result.changes()) {
                session.out.println("No changes need to be applied");
            } else {
                long created = result.outcomes().stream().filter(o -> o.action() == Outcome.Action.CREATE).count();
                long changed = result.outcomes().stream().filter(o -> o.action() == Outcome.Action.MODIFY).count();
                session.out.println("Cloud resources of cluster " + name + " are ready (" + created + " created, "
                        + changed + " changed).");
            }
            cloud.apiAddress().ifPresent(address -> session.out.println("API load balancer: " + address));
        } finally {
            if (session.rootVerbose) {
                cloud.calls().print(session.err);
            }
        }
    }

    /** Everything the cluster owns in its cloud, as a TYPE / NAME / ID table. */
    static List<OwnedResource> discover(Session session, Cloud cloud) throws Exception {
        List<OwnedResource> resources = asked(cloud, cloud::discover);
        if (!resources.isEmpty()) {
            Table table = new Table("TYPE", "NAME", "ID");
            resources.forEach(r -> table.row(r.type(), r.name(), r.id()));
            table.print(session.out);
        }
        return resources;
    }

    /** Deletes what {@link #discover} found, in dependency order; fails naming what could not go. */
    static void delete(Session session, Cloud cloud, String name, List<OwnedResource> resources, Duration maxWait)
            throws Exception {
        List<String> failures = new Teardown(cloud, maxWait, THREADS, session.err::println).run(resources);
        if (session.rootVerbose) {
            cloud.calls().print(session.err);
        }
        if (!failures.isEmpty()) {
            failures.forEach(line -> session.err.println("  " + line));
            throw new UserException("could not delete " + failures.size() + " resource(s); the cluster's state is"
                    + " kept. Fix this and re-run `tug delete cluster " + name + " --yes`");
        }
    }

    /** Calls the cloud, turning its failures (no credentials, a refused call) into one explained line. */
    private static <T> T asked(Cloud cloud, java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return call.call();
        } catch (CloudException | UserException | InterruptedException e) {
            throw e;
        } catch (NullPointerException | IllegalArgumentException | IllegalStateException e) {
            throw e; // tug's own mistakes keep their stack trace
        } catch (RuntimeException e) {
            throw new CloudException(cloud.explain(e), e);
        }
    }
}
