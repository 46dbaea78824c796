package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Rules for batch/v1 Jobs and CronJobs. */
final class JobValidation {

    /** The job controller names each Job {@code <cronjob>-<11 digits>}, and a Job name must fit in a label value. */
    static final int CRONJOB_NAME_MAX = 63 - 11;

    private static final List<String> CONCURRENCY_POLICIES = List.of("Allow", "Forbid", "Replace");
    private static final Pattern TIME_ZONE_PART = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");

    private JobValidation() {
    }

    static void job(Job job, Job old, List<FieldError> errors) {
        JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
        ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        generatedSelector(spec, meta.getUid(), errors);
        jobSpec(spec, "spec", errors);
        LabelSelector selector = spec.getSelector();
        if (selector == null || LabelSelectors.isEmpty(selector)) {
            errors.add(FieldError.required("spec.selector", ""));
        }
        LabelSelectors.validate(selector, "spec.selector", errors);
        // whether generated or not, the selector must select the Job's own pods
        WorkloadValidation.selectorMatchesTemplate(selector, spec.getTemplate(), errors);
        indexedHostnames(spec, Metadata.nullToEmpty(meta.getName()), errors);
        if (old != null && old.getSpec() != null) {
            update(spec, old.getSpec(), errors);
        }
    }

    static void cronJob(CronJob cronJob, CronJob old, List<FieldError> errors) {
        CronJobSpec spec = cronJob.getSpec() == null ? new CronJobSpec() : cronJob.getSpec();
        CronJobSpec oldSpec = old == null || old.getSpec() == null ? null : old.getSpec();
        String name = cronJob.getMetadata() == null ? "" : Metadata.nullToEmpty(cronJob.getMetadata().getName());
        if (old == null && name.length() > CRONJOB_NAME_MAX) {
            errors.add(FieldError.invalid("metadata.name", name, Names.maxLength(CRONJOB_NAME_MAX)));
        }
        schedule(spec, oldSpec, errors);
        PodValidation.nonNegative(spec.getStartingDeadlineSeconds(), "spec.startingDeadlineSeconds", errors);
        if (oldSpec == null || !Objects.equals(spec.getTimeZone(), oldSpec.getTimeZone())) {
            timeZone(spec.getTimeZone(), errors);
        }
        PodValidation.oneOf(spec.getConcurrencyPolicy(), CONCURRENCY_POLICIES, "spec.concurrencyPolicy", errors);
        jobTemplate(spec.getJobTemplate() == null ? new JobTemplateSpec() : spec.getJobTemplate(), errors);
        PodValidation.nonNegative(spec.getSuccessfulJobsHistoryLimit(), "spec.successfulJobsHistoryLimit", errors);
        PodValidation.nonNegative(spec.getFailedJobsHistoryLimit(), "spec.failedJobsHistoryLimit", errors);
    }

    /** What a Job and a CronJob's job template share; {@code path} is where the JobSpec sits. */
    private static void jobSpec(JobSpec spec, String path, List<FieldError> errors) {
        PodValidation.nonNegative(spec.getParallelism(), path + ".parallelism", errors);
        PodValidation.nonNegative(spec.getCompletions(), path + ".completions", errors);
        PodValidation.nonNegative(spec.getActiveDeadlineSeconds(), path + ".activeDeadlineSeconds", errors);
        PodValidation.nonNegative(spec.getBackoffLimit(), path + ".backoffLimit", errors);
        PodValidation.nonNegative(spec.getTtlSecondsAfterFinished(), path + ".ttlSecondsAfterFinished", errors);
        String mode = spec.getCompletionMode();
        if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            errors.add(FieldError.notSupported(path + ".completionMode", mode, List.of("NonIndexed", "Indexed")));
        }
        if ("Indexed".equals(mode) && spec.getCompletions() == null) {
            errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
        }
        String replacement = spec.getPodReplacementPolicy();
        if (replacement != null && !replacement.equals("TerminatingOrFailed") && !replacement.equals("Failed")) {
            errors.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, List.of("TerminatingOrFailed", "Failed")));
        }
        PodTemplateSpec template = spec.getTemplate();
        PodValidation.template(template, path + ".template", errors);
        String restartPolicy = WorkloadValidation.podSpec(template).getRestartPolicy();
        String restartPath = path + ".template.spec.restartPolicy";
        // a Job's pods run to completion; Always would run them forever
        if (!"OnFailure".equals(restartPolicy) && !"Never".equals(restartPolicy)) {
            errors.add(FieldError.notSupported(restartPath, Metadata.nullToEmpty(restartPolicy), List.of("OnFailure", "Never")));
        } else if (restartPolicy.equals("OnFailure") && spec.getPodFailurePolicy() != null) {
            errors.add(FieldError.invalid(restartPath, restartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }

    /** Unless the user manages the selector, it must be exactly the one defaulting generated from the uid. */
    private static void generatedSelector(JobSpec spec, String uid, List<FieldError> errors) {
        if (Boolean.TRUE.equals(spec.getManualSelector()) || Fill.isAbsent(uid) || spec.getSelector() == null) {
            return;
        }
        Map<String, String> labels = WorkloadDefaults.CONTROLLER_UID_LABELS.stream()
                .collect(Collectors.toMap(label -> label, label -> uid));
        Map<String, String> templateLabels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
                ? Map.of() : spec.getTemplate().getMetadata().getLabels();
        boolean templateLabelsMatch = WorkloadDefaults.CONTROLLER_UID_LABELS.stream()
                .allMatch(label -> !templateLabels.containsKey(label) || uid.equals(templateLabels.get(label)));
        if (!templateLabelsMatch) {
            errors.add(FieldError.invalid("spec.template.metadata.labels", templateLabels, "`selector` not auto-generated"));
        }
        if (!LabelSelectors.matches(spec.getSelector(), labels)) {
            errors.add(FieldError.invalid("spec.selector", spec.getSelector(), "`selector` not auto-generated"));
        }
    }

    /** An Indexed Job's pods are named and hostnamed {@code <job>-<index>}: that must be a DNS label. */
    private static void indexedHostnames(JobSpec spec, String name, List<FieldError> errors) {
        Integer completions = spec.getCompletions();
        if ("Indexed".equals(spec.getCompletionMode()) && completions != null && completions > 0 && !name.isEmpty()) {
            String hostname = name + "-" + (completions - 1);
            if (!Names.dns1123Label(hostname).isEmpty()) {
                errors.add(FieldError.invalid("metadata.name", name, "will not able to create pod with invalid DNS label: " + hostname));
            }
        }
    }

    /** A started Job's pods were made from its template and found by its selector: both stay. */
    private static void update(JobSpec spec, JobSpec old, List<FieldError> errors) {
        Metadata.unchanged(spec.getSelector(), old.getSelector(), "spec.selector", errors);
        Metadata.unchanged(spec.getTemplate(), old.getTemplate(), "spec.template", errors);
        Metadata.unchanged(spec.getCompletionMode(), old.getCompletionMode(), "spec.completionMode", errors);
        Metadata.unchanged(spec.getPodFailurePolicy(), old.getPodFailurePolicy(), "spec.podFailurePolicy", errors);
        Metadata.unchanged(spec.getBackoffLimitPerIndex(), old.getBackoffLimitPerIndex(), "spec.backoffLimitPerIndex", errors);
        boolean elastic = "Indexed".equals(spec.getCompletionMode()) && spec.getCompletions() != null && spec.getCompletions() >= 0
                && old.getCompletions() != null;
        if (!elastic) {
            Metadata.unchanged(spec.getCompletions(), old.getCompletions(), "spec.completions", errors);
        } else if (!spec.getCompletions().equals(old.getCompletions()) && !spec.getCompletions().equals(spec.getParallelism())) {
            // an Indexed Job scales by changing both together; other updates leave the two as they are
            errors.add(FieldError.invalid("spec.completions", spec.getCompletions(), "can only be modified in tandem with spec.parallelism"));
        }
    }

    private static void schedule(CronJobSpec spec, CronJobSpec old, List<FieldError> errors) {
        String schedule = spec.getSchedule();
        if (Fill.isAbsent(schedule)) {
            errors.add(FieldError.required("spec.schedule", ""));
            return;
        }
        try {
            Cron.parse(schedule);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid("spec.schedule", schedule, e.getMessage()));
        }
        // a zone belongs in spec.timeZone; schedules stored with one before that field existed may keep it
        boolean allowZoneInSchedule = old != null && Metadata.nullToEmpty(old.getSchedule()).contains("TZ");
        if (schedule.contains("TZ")) {
            if (!allowZoneInSchedule) {
                errors.add(FieldError.invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            } else if (spec.getTimeZone() != null) {
                errors.add(FieldError.invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            }
        }
    }

    private static void timeZone(String zone, List<FieldError> errors) {
        String path = "spec.timeZone";
        if (zone == null) {
            return;
        }
        if (zone.isEmpty()) {
            errors.add(FieldError.invalid(path, zone, "timeZone must be nil or non-empty string"));
        } else if (zone.equalsIgnoreCase("Local")) {
            errors.add(FieldError.invalid(path, zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        } else if (!List.of(zone.split("/", -1)).stream().allMatch(JobValidation::isZonePart) || Cron.zone(zone).isEmpty()) {
            errors.add(FieldError.invalid(path, zone, "unknown time zone " + zone));
        }
    }

    private static boolean isZonePart(String part) {
        return !part.equals(".") && !part.equals("..") && !part.startsWith("-") && TIME_ZONE_PART.matcher(part).matches();
    }

    /** The template of each Job: its selector and pod labels are generated when the Job is made. */
    private static void jobTemplate(JobTemplateSpec template, List<FieldError> errors) {
        JobSpec spec = template.getSpec() == null ? new JobSpec() : template.getSpec();
        if (template.getMetadata() != null) {
            Metadata.labels(template.getMetadata().getLabels(), "spec.jobTemplate.metadata.labels", errors);
        }
        jobSpec(spec, "spec.jobTemplate.spec", errors);
        if (spec.getSelector() != null) {
            errors.add(FieldError.invalid("spec.jobTemplate.spec.selector", spec.getSelector(), "`selector` will be auto-generated"));
        }
        if (Boolean.TRUE.equals(spec.getManualSelector())) {
            errors.add(FieldError.notSupported("spec.jobTemplate.spec.manualSelector", true, List.of("nil", "false")));
        }
    }
}
