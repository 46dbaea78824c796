package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobValidationTest {

    private static final String JOB = WorkloadDefaultingTest.JOB;

    private static List<String> jobProblems(String yaml) {
        return Fixtures.createProblems(yaml, Job.class);
    }

    private static String withSpec(String lines) {
        return JOB.replace("spec:\n  template:", "spec:\n" + lines + "\n  template:");
    }

    @Test
    void aDefaultedJobIsValid() {
        assertEquals(List.of(), jobProblems(JOB));
    }

    @Test
    void jobPodsRunToCompletion() {
        // restartPolicy defaults to Always, which a Job refuses
        assertEquals(List.of("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
                jobProblems(JOB.replace("      restartPolicy: Never\n", "")));
    }

    @Test
    void countsAreNotNegative() {
        assertEquals(List.of("spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                        "spec.completions: Invalid value: -2: must be greater than or equal to 0",
                        "spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0"),
                jobProblems(withSpec("  parallelism: -1\n  completions: -2\n  backoffLimit: -3")));
    }

    @Test
    void withoutAUidThereIsNoSelector() {
        assertEquals(List.of("spec.selector: Required value",
                        "spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`"),
                jobProblems(JOB.replace(", uid: 6dcf1b82-3b4c-4d3e-9a41-0a1b2c3d4e5f", "")));
    }

    @Test
    void ownSelectorsNeedManualSelector() {
        List<String> problems = jobProblems(withSpec("  selector: {matchLabels: {app: pi}}"));
        assertTrue(problems.contains("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"pi\","
                + "\"batch.kubernetes.io/controller-uid\":\"6dcf1b82-3b4c-4d3e-9a41-0a1b2c3d4e5f\"}}: `selector` not auto-generated"), problems.toString());
        assertEquals(List.of(), jobProblems(JOB.replace("spec:\n  template:\n    spec:", """
                spec:
                  manualSelector: true
                  selector: {matchLabels: {app: pi}}
                  template:
                    metadata: {labels: {app: pi}}
                    spec:""")));
    }

    @Test
    void indexedJobsNeedCompletionsAndHostnameSizedNames() {
        assertEquals(List.of("spec.completions: Required value: when completion mode is Indexed"),
                jobProblems(withSpec("  completionMode: Indexed\n  parallelism: 2")));
        assertEquals(List.of("spec.completionMode: Unsupported value: \"Random\": supported values: \"NonIndexed\", \"Indexed\""),
                jobProblems(withSpec("  completionMode: Random")));
        String longName = "j".repeat(62);
        List<String> problems = jobProblems(withSpec("  completionMode: Indexed\n  completions: 10").replace("name: pi", "name: " + longName));
        assertTrue(problems.contains("metadata.name: Invalid value: \"" + longName + "\": will not able to create pod with invalid DNS label: "
                + longName + "-9"), problems.toString());
    }

    @Test
    void podFailurePoliciesNeedNever() {
        assertEquals(List.of("spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"),
                jobProblems(withSpec("  podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}")
                        .replace("restartPolicy: Never", "restartPolicy: OnFailure")));
    }

    @Test
    void aStartedJobKeepsItsTemplateSelectorAndMode() {
        Job stored = Fixtures.defaulted(JOB, Job.class);
        Job newImage = Fixtures.defaulted(JOB.replace("image: perl", "image: perl:5.40"), Job.class);
        List<String> problems = Fixtures.problems(newImage, stored);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("spec.template: Invalid value: {") && problems.get(0).endsWith("}: field is immutable"), problems.get(0));
        Job moreCompletions = Fixtures.defaulted(withSpec("  completions: 3"), Job.class);
        assertEquals(List.of("spec.completions: Invalid value: 3: field is immutable"), Fixtures.problems(moreCompletions, stored));
        Job suspended = Fixtures.defaulted(withSpec("  suspend: true\n  backoffLimit: 2"), Job.class);
        assertEquals(List.of(), Fixtures.problems(suspended, stored));
    }

    @Test
    void indexedJobsScaleCompletionsWithParallelism() {
        String indexed = withSpec("  completionMode: Indexed\n  completions: %d\n  parallelism: %d");
        Job stored = Fixtures.defaulted(String.format(indexed, 3, 3), Job.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(String.format(indexed, 5, 5), Job.class), stored));
        assertEquals(List.of("spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"),
                Fixtures.problems(Fixtures.defaulted(String.format(indexed, 5, 3), Job.class), stored));
        Job unequal = Fixtures.defaulted(String.format(indexed, 3, 2), Job.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(String.format(indexed, 3, 2), Job.class), unequal),
                "other updates of a Job whose completions and parallelism differ stay possible");
    }

    private static final String CRONJOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: hello}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: hello, image: busybox}]
            """;

    private static List<String> cronJobProblems(String yaml) {
        return Fixtures.createProblems(yaml, CronJob.class);
    }

    @Test
    void aDefaultedCronJobIsValid() {
        assertEquals(List.of(), cronJobProblems(CRONJOB));
    }

    @Test
    void scheduleIsRequiredAndParsed() {
        assertEquals(List.of("spec.schedule: Required value"), cronJobProblems(CRONJOB.replace("  schedule: \"*/5 * * * *\"\n", "")));
        assertEquals(List.of("spec.schedule: Invalid value: \"*/5 * * *\": expected exactly 5 fields, found 4: [*/5 * * *]"),
                cronJobProblems(CRONJOB.replace("*/5 * * * *", "*/5 * * *")));
        assertEquals(List.of("spec.schedule: Invalid value: \"0 25 * * *\": end of range (25) above maximum (23): 25"),
                cronJobProblems(CRONJOB.replace("*/5 * * * *", "0 25 * * *")));
    }

    @Test
    void timeZonesBelongInTheirField() {
        assertEquals(List.of("spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
                cronJobProblems(CRONJOB.replace("*/5 * * * *", "TZ=UTC 0 * * * *")));
        assertEquals(List.of(), cronJobProblems(CRONJOB.replace("spec:\n  schedule", "spec:\n  timeZone: Europe/Berlin\n  schedule")));
        assertEquals(List.of("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"),
                cronJobProblems(CRONJOB.replace("spec:\n  schedule", "spec:\n  timeZone: Mars/Olympus\n  schedule")));
        assertEquals(List.of("spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
                cronJobProblems(CRONJOB.replace("spec:\n  schedule", "spec:\n  timeZone: Local\n  schedule")));
    }

    @Test
    void aScheduleStoredWithAZoneMayKeepIt() {
        String zoned = CRONJOB.replace("*/5 * * * *", "TZ=UTC 0 * * * *");
        CronJob stored = Fixtures.defaulted(zoned, CronJob.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(zoned.replace("0 * * * *", "30 * * * *"), CronJob.class), stored));
    }

    @Test
    void concurrencyPolicy() {
        assertEquals(List.of("spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""),
                cronJobProblems(CRONJOB.replace("spec:\n  schedule", "spec:\n  concurrencyPolicy: Sometimes\n  schedule")));
    }

    @Test
    void cronJobNamesLeaveRoomForTheJobSuffix() {
        String name = "c".repeat(53);
        assertEquals(List.of("metadata.name: Invalid value: \"" + name + "\": must be no more than 52 characters"),
                cronJobProblems(CRONJOB.replace("name: hello}", "name: " + name + "}")));
    }

    @Test
    void theJobTemplateIsAJobWithoutSelector() {
        assertEquals(List.of("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
                        "spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated"),
                cronJobProblems(CRONJOB.replace("restartPolicy: OnFailure", "restartPolicy: Always")
                        .replace("    spec:\n      template:", "    spec:\n      selector: {matchLabels: {a: b}}\n      template:")));
    }
}
