package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.at;
import static dev.tug.controlplane.tables.Fields.number;
import static dev.tug.controlplane.tables.Fields.present;
import static dev.tug.controlplane.tables.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Kinds that run a pod template: ReplicationController, ReplicaSet, Deployment, DaemonSet, Job, CronJob. */
final class WorkloadTables {

    private static final Column DESIRED = Columns.integer("Desired", "Number of desired pods.");
    private static final Column CURRENT = Columns.integer("Current", "The number of pods currently running.");
    private static final Column READY = Columns.integer("Ready", "The number of pods that are ready.");
    private static final List<Column> REPLICA_COLUMNS =
            Columns.withTemplateWide(Columns.NAME, DESIRED, CURRENT, READY, Columns.AGE);

    static final KindTable REPLICATION_CONTROLLER = new KindTable(REPLICA_COLUMNS,
            (rc, now) -> replicaCells(rc, now, Selectors.labels(at(rc, "spec", "selector"))));

    static final KindTable REPLICA_SET = new KindTable(REPLICA_COLUMNS,
            (rs, now) -> replicaCells(rs, now, Selectors.format(at(rs, "spec", "selector"))));

    static final KindTable DEPLOYMENT = new KindTable(
            Columns.withTemplateWide(
                    Columns.NAME,
                    Columns.string("Ready", "Number of the pod with ready state"),
                    Columns.string("Up-to-date", "Total number of non-terminated pods targeted by this"
                            + " deployment that have the desired template spec."),
                    Columns.string("Available", "Total number of available pods (ready for at least"
                            + " minReadySeconds) targeted by this deployment."),
                    Columns.AGE),
            WorkloadTables::deploymentCells);

    static final KindTable DAEMON_SET = new KindTable(
            Columns.withTemplateWide(
                    Columns.NAME,
                    Columns.integer("Desired", "The total number of nodes that should be running the daemon pod."),
                    Columns.integer("Current", "The number of nodes that are running at least 1 daemon pod"
                            + " and are supposed to run the daemon pod."),
                    Columns.integer("Ready", "The number of nodes that should be running the daemon pod and"
                            + " have one or more of the daemon pod running and ready."),
                    Columns.integer("Up-to-date", "The total number of nodes that are running updated daemon pod."),
                    Columns.integer("Available", "The number of nodes that should be running the daemon pod and"
                            + " have one or more of the daemon pod running and available."),
                    Columns.string("Node Selector", "NodeSelector is a selector which must be true for the pod"
                            + " to fit on a node."),
                    Columns.AGE),
            WorkloadTables::daemonSetCells);

    static final KindTable JOB = new KindTable(
            Columns.withTemplateWide(
                    Columns.NAME,
                    Columns.string("Status", "Status of the job."),
                    Columns.string("Completions", "The number of pods which reached phase Succeeded."),
                    Columns.string("Duration", "Time required to complete the job."),
                    Columns.AGE),
            WorkloadTables::jobCells);

    static final KindTable CRON_JOB = new KindTable(
            Columns.withTemplateWide(
                    Columns.NAME,
                    Columns.string("Schedule", "The schedule in Cron format."),
                    Columns.string("Timezone", "The time zone name for the given schedule."),
                    new Column("Suspend", "boolean", "", "This flag tells the controller to suspend"
                            + " subsequent executions.", 0),
                    Columns.integer("Active", "A list of pointers to currently running jobs."),
                    Columns.string("Last Schedule", "Information when was the last time the job was"
                            + " successfully scheduled."),
                    Columns.AGE),
            WorkloadTables::cronJobCells);

    private WorkloadTables() {
    }

    private static List<Object> replicaCells(JsonNode object, Instant now, String selector) {
        return row(List.of(
                Fields.name(object),
                desiredReplicas(object),
                number(object, "status", "replicas"),
                number(object, "status", "readyReplicas"),
                Fields.age(object, now)),
                at(object, "spec", "template"), selector);
    }

    private static List<Object> deploymentCells(JsonNode deployment, Instant now) {
        String selector = Selectors.selector(at(deployment, "spec", "selector"));
        return row(List.of(
                Fields.name(deployment),
                number(deployment, "status", "readyReplicas") + "/" + desiredReplicas(deployment),
                number(deployment, "status", "updatedReplicas"),
                number(deployment, "status", "availableReplicas"),
                Fields.age(deployment, now)),
                at(deployment, "spec", "template"), selector == null ? "<invalid>" : selector);
    }

    private static List<Object> daemonSetCells(JsonNode daemonSet, Instant now) {
        JsonNode status = daemonSet.path("status");
        JsonNode template = at(daemonSet, "spec", "template");
        return row(List.of(
                Fields.name(daemonSet),
                number(status, "desiredNumberScheduled"),
                number(status, "currentNumberScheduled"),
                number(status, "numberReady"),
                number(status, "updatedNumberScheduled"),
                number(status, "numberAvailable"),
                Selectors.labels(at(template, "spec", "nodeSelector")),
                Fields.age(daemonSet, now)),
                template, Selectors.format(at(daemonSet, "spec", "selector")));
    }

    private static List<Object> jobCells(JsonNode job, Instant now) {
        return row(List.of(
                Fields.name(job),
                jobStatus(job),
                completions(job),
                jobDuration(job, now),
                Fields.age(job, now)),
                at(job, "spec", "template"), Selectors.format(at(job, "spec", "selector")));
    }

    private static List<Object> cronJobCells(JsonNode cronJob, Instant now) {
        JsonNode jobSpec = at(cronJob, "spec", "jobTemplate", "spec");
        Instant lastSchedule = Fields.time(cronJob, "status", "lastScheduleTime");
        return row(List.of(
                Fields.name(cronJob),
                text(cronJob, "spec", "schedule"),
                Fields.orElse(text(cronJob, "spec", "timeZone"), "<none>"),
                // Kubernetes sends "True"/"False" text here although the column says boolean.
                Fields.isTrue(cronJob, "spec", "suspend") ? "True" : "False",
                Fields.count(cronJob, "status", "active"),
                lastSchedule == null ? "<none>" : Durations.since(lastSchedule, now),
                Fields.age(cronJob, now)),
                jobSpec.path("template"), Selectors.format(jobSpec.path("selector")));
    }

    /** The default cells followed by the template's containers, images and the given selector. */
    private static List<Object> row(List<Object> defaults, JsonNode podTemplate, String selector) {
        List<JsonNode> containers = Fields.list(podTemplate, "spec", "containers");
        List<Object> cells = new ArrayList<>(defaults);
        cells.add(containers.stream().map(c -> text(c, "name")).collect(Collectors.joining(",")));
        cells.add(containers.stream().map(c -> text(c, "image")).collect(Collectors.joining(",")));
        cells.add(selector);
        return cells;
    }

    /** spec.replicas, which Kubernetes defaults to 1. */
    private static long desiredReplicas(JsonNode object) {
        return present(object, "spec", "replicas") ? number(object, "spec", "replicas") : 1;
    }

    private static String jobStatus(JsonNode job) {
        List<JsonNode> conditions = Fields.list(job, "status", "conditions");
        if (Fields.conditionTrue(conditions, "Complete")) {
            return "Complete";
        }
        if (Fields.conditionTrue(conditions, "Failed")) {
            return "Failed";
        }
        if (present(job, "metadata", "deletionTimestamp")) {
            return "Terminating";
        }
        if (Fields.conditionTrue(conditions, "Suspended")) {
            return "Suspended";
        }
        if (Fields.conditionTrue(conditions, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    /** "2/3"; without spec.completions any one success completes the job: "0/1", or "0/1 of 4" in parallel. */
    private static String completions(JsonNode job) {
        long succeeded = number(job, "status", "succeeded");
        if (present(job, "spec", "completions")) {
            return succeeded + "/" + number(job, "spec", "completions");
        }
        long parallelism = number(job, "spec", "parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    /** From start to completion, or to now while running; "" before the job starts. */
    private static String jobDuration(JsonNode job, Instant now) {
        Instant start = Fields.time(job, "status", "startTime");
        if (start == null) {
            return "";
        }
        Instant end = Fields.time(job, "status", "completionTime");
        return Durations.human(Duration.between(start, end == null ? now : end));
    }
}
