package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defaults of the workload kinds: apps/v1 Deployment, ReplicaSet, DaemonSet; v1 ReplicationController; batch/v1 Job, CronJob. */
final class WorkloadDefaults {

    /** Labels that tie a Job's pods to it: both the current and the legacy names, as Kubernetes writes both. */
    static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    static final List<String> CONTROLLER_UID_LABELS = List.of("controller-uid", CONTROLLER_UID_LABEL);
    static final List<String> JOB_NAME_LABELS = List.of("job-name", JOB_NAME_LABEL);

    private WorkloadDefaults() {
    }

    static void deployment(Deployment deployment) {
        DeploymentSpec spec = Fill.orCreate(deployment::getSpec, deployment::setSpec, DeploymentSpec::new);
        Fill.ifAbsent(spec::getReplicas, spec::setReplicas, 1);
        DeploymentStrategy strategy = Fill.orCreate(spec::getStrategy, spec::setStrategy, DeploymentStrategy::new);
        Fill.ifAbsent(strategy::getType, strategy::setType, "RollingUpdate");
        if ("RollingUpdate".equals(strategy.getType())) {
            RollingUpdateDeployment rolling = Fill.orCreate(strategy::getRollingUpdate, strategy::setRollingUpdate, RollingUpdateDeployment::new);
            Fill.ifAbsent(rolling::getMaxUnavailable, rolling::setMaxUnavailable, new IntOrString("25%"));
            Fill.ifAbsent(rolling::getMaxSurge, rolling::setMaxSurge, new IntOrString("25%"));
        }
        Fill.ifAbsent(spec::getRevisionHistoryLimit, spec::setRevisionHistoryLimit, 10);
        Fill.ifAbsent(spec::getProgressDeadlineSeconds, spec::setProgressDeadlineSeconds, 600);
        PodDefaults.template(Fill.orCreate(spec::getTemplate, spec::setTemplate, PodTemplateSpec::new));
    }

    static void replicaSet(ReplicaSet replicaSet) {
        ReplicaSetSpec spec = Fill.orCreate(replicaSet::getSpec, replicaSet::setSpec, ReplicaSetSpec::new);
        Fill.ifAbsent(spec::getReplicas, spec::setReplicas, 1);
        PodDefaults.template(Fill.orCreate(spec::getTemplate, spec::setTemplate, PodTemplateSpec::new));
    }

    /** The v1 controller takes its selector and labels from its template when it has none. */
    static void replicationController(ReplicationController controller) {
        ReplicationControllerSpec spec = Fill.orCreate(controller::getSpec, controller::setSpec, ReplicationControllerSpec::new);
        Fill.ifAbsent(spec::getReplicas, spec::setReplicas, 1);
        PodTemplateSpec template = spec.getTemplate();
        if (template == null) {
            return; // optional in v1; validation reports it
        }
        PodDefaults.template(template);
        Map<String, String> templateLabels = template.getMetadata().getLabels();
        if (!Fill.isAbsent(templateLabels)) {
            Fill.ifAbsent(spec::getSelector, spec::setSelector, new LinkedHashMap<>(templateLabels));
            ObjectMeta meta = Fill.orCreate(controller::getMetadata, controller::setMetadata, ObjectMeta::new);
            Fill.ifAbsent(meta::getLabels, meta::setLabels, new LinkedHashMap<>(templateLabels));
        }
    }

    static void daemonSet(DaemonSet daemonSet) {
        DaemonSetSpec spec = Fill.orCreate(daemonSet::getSpec, daemonSet::setSpec, DaemonSetSpec::new);
        DaemonSetUpdateStrategy strategy = Fill.orCreate(spec::getUpdateStrategy, spec::setUpdateStrategy, DaemonSetUpdateStrategy::new);
        Fill.ifAbsent(strategy::getType, strategy::setType, "RollingUpdate");
        if ("RollingUpdate".equals(strategy.getType())) {
            RollingUpdateDaemonSet rolling = Fill.orCreate(strategy::getRollingUpdate, strategy::setRollingUpdate, RollingUpdateDaemonSet::new);
            Fill.ifAbsent(rolling::getMaxUnavailable, rolling::setMaxUnavailable, new IntOrString(1));
            Fill.ifAbsent(rolling::getMaxSurge, rolling::setMaxSurge, new IntOrString(0));
        }
        Fill.ifAbsent(spec::getRevisionHistoryLimit, spec::setRevisionHistoryLimit, 10);
        PodDefaults.template(Fill.orCreate(spec::getTemplate, spec::setTemplate, PodTemplateSpec::new));
    }

    /**
     * Job defaults, and unless {@code spec.manualSelector} is true, the generated selector
     * {@code batch.kubernetes.io/controller-uid=<uid>} with the matching template labels. That
     * needs {@code metadata.uid}, so the server must set the uid before defaulting a new Job;
     * without a uid nothing is generated and validation reports the missing selector.
     */
    static void job(Job job) {
        JobSpec spec = Fill.orCreate(job::getSpec, job::setSpec, JobSpec::new);
        if (spec.getCompletions() == null && spec.getParallelism() == null) {
            spec.setCompletions(1);
        }
        Fill.ifAbsent(spec::getParallelism, spec::setParallelism, 1);
        // with per-index limits the global limit is effectively off
        Fill.ifAbsent(spec::getBackoffLimit, spec::setBackoffLimit, spec.getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : 6);
        Fill.ifAbsent(spec::getCompletionMode, spec::setCompletionMode, "NonIndexed");
        Fill.ifAbsent(spec::getSuspend, spec::setSuspend, false);
        Fill.ifAbsent(spec::getPodReplacementPolicy, spec::setPodReplacementPolicy,
                spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
        if (spec.getPodFailurePolicy() != null) {
            Fill.list(spec.getPodFailurePolicy().getRules()).forEach(rule ->
                    Fill.list(rule.getOnPodConditions()).forEach(pattern -> Fill.ifAbsent(pattern::getStatus, pattern::setStatus, "True")));
        }
        PodTemplateSpec template = Fill.orCreate(spec::getTemplate, spec::setTemplate, PodTemplateSpec::new);
        PodDefaults.template(template);
        ObjectMeta meta = Fill.orCreate(job::getMetadata, job::setMetadata, ObjectMeta::new);
        if (!Boolean.TRUE.equals(spec.getManualSelector()) && !Fill.isAbsent(meta.getUid())) {
            generateSelector(spec, template.getMetadata(), meta);
        }
        if (!Fill.isAbsent(template.getMetadata().getLabels())) {
            Fill.ifAbsent(meta::getLabels, meta::setLabels, new LinkedHashMap<>(template.getMetadata().getLabels()));
        }
    }

    /** Labels the user set are kept: a conflicting one makes the selector miss, which validation reports. */
    private static void generateSelector(JobSpec spec, ObjectMeta templateMeta, ObjectMeta jobMeta) {
        Map<String, String> labels = new LinkedHashMap<>(templateMeta.getLabels() == null ? Map.of() : templateMeta.getLabels());
        JOB_NAME_LABELS.forEach(label -> labels.putIfAbsent(label, jobMeta.getName()));
        CONTROLLER_UID_LABELS.forEach(label -> labels.putIfAbsent(label, jobMeta.getUid()));
        templateMeta.setLabels(labels);
        LabelSelector selector = Fill.orCreate(spec::getSelector, spec::setSelector, LabelSelector::new);
        Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
        matchLabels.putIfAbsent(CONTROLLER_UID_LABEL, jobMeta.getUid());
        selector.setMatchLabels(matchLabels);
    }

    /** The job template gets pod defaults only; its Job defaults come when the Job is created. */
    static void cronJob(CronJob cronJob) {
        CronJobSpec spec = Fill.orCreate(cronJob::getSpec, cronJob::setSpec, CronJobSpec::new);
        Fill.ifAbsent(spec::getConcurrencyPolicy, spec::setConcurrencyPolicy, "Allow");
        Fill.ifAbsent(spec::getSuspend, spec::setSuspend, false);
        Fill.ifAbsent(spec::getSuccessfulJobsHistoryLimit, spec::setSuccessfulJobsHistoryLimit, 3);
        Fill.ifAbsent(spec::getFailedJobsHistoryLimit, spec::setFailedJobsHistoryLimit, 1);
        JobTemplateSpec jobTemplate = Fill.orCreate(spec::getJobTemplate, spec::setJobTemplate, JobTemplateSpec::new);
        JobSpec jobSpec = Fill.orCreate(jobTemplate::getSpec, jobTemplate::setSpec, JobSpec::new);
        PodDefaults.template(Fill.orCreate(jobSpec::getTemplate, jobSpec::setTemplate, PodTemplateSpec::new));
    }
}
