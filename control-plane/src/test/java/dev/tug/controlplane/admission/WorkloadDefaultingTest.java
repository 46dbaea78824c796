package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadDefaultingTest {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx}]
            """;

    static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: pi, uid: 6dcf1b82-3b4c-4d3e-9a41-0a1b2c3d4e5f}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: pi, image: perl}]
            """;

    @Test
    void deploymentDefaults() {
        DeploymentSpec spec = Fixtures.defaulted(DEPLOYMENT, Deployment.class).getSpec();
        assertEquals(1, spec.getReplicas());
        assertEquals("RollingUpdate", spec.getStrategy().getType());
        assertEquals(new IntOrString("25%"), spec.getStrategy().getRollingUpdate().getMaxSurge());
        assertEquals(new IntOrString("25%"), spec.getStrategy().getRollingUpdate().getMaxUnavailable());
        assertEquals(10, spec.getRevisionHistoryLimit());
        assertEquals(600, spec.getProgressDeadlineSeconds());
        assertEquals("Always", spec.getTemplate().getSpec().getRestartPolicy());
        assertEquals("Always", spec.getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
    }

    @Test
    void templatesGetNoPodOnlyDefaults() {
        DeploymentSpec spec = Fixtures.defaulted(DEPLOYMENT, Deployment.class).getSpec();
        assertNull(spec.getTemplate().getSpec().getEnableServiceLinks());
        assertNull(spec.getTemplate().getSpec().getServiceAccountName());
        assertTrue(spec.getTemplate().getSpec().getTolerations().isEmpty());
    }

    @Test
    void recreateDeploymentsGetNoRollingUpdate() {
        DeploymentSpec spec = Fixtures.defaulted(DEPLOYMENT.replace("spec:\n  selector", "spec:\n  strategy: {type: Recreate}\n  selector"),
                Deployment.class).getSpec();
        assertNull(spec.getStrategy().getRollingUpdate());
    }

    @Test
    void replicaSetDefaults() {
        ReplicaSet replicaSet = Fixtures.defaulted(DEPLOYMENT.replace("Deployment", "ReplicaSet"), ReplicaSet.class);
        assertEquals(1, replicaSet.getSpec().getReplicas());
        assertEquals("ClusterFirst", replicaSet.getSpec().getTemplate().getSpec().getDnsPolicy());
    }

    @Test
    void replicationControllerTakesSelectorAndLabelsFromItsTemplate() {
        ReplicationController controller = Fixtures.defaulted("""
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: web}
                spec:
                  template:
                    metadata: {labels: {app: web, tier: front}}
                    spec:
                      containers: [{name: nginx, image: nginx}]
                """, ReplicationController.class);
        assertEquals(1, controller.getSpec().getReplicas());
        assertEquals(Map.of("app", "web", "tier", "front"), controller.getSpec().getSelector());
        assertEquals(Map.of("app", "web", "tier", "front"), controller.getMetadata().getLabels());
    }

    @Test
    void daemonSetDefaults() {
        DaemonSet daemonSet = Fixtures.defaulted(DEPLOYMENT.replace("Deployment", "DaemonSet"), DaemonSet.class);
        assertEquals("RollingUpdate", daemonSet.getSpec().getUpdateStrategy().getType());
        assertEquals(new IntOrString(1), daemonSet.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable());
        assertEquals(new IntOrString(0), daemonSet.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge());
        assertEquals(10, daemonSet.getSpec().getRevisionHistoryLimit());
    }

    @Test
    void jobDefaults() {
        JobSpec spec = Fixtures.defaulted(JOB, Job.class).getSpec();
        assertEquals(1, spec.getCompletions());
        assertEquals(1, spec.getParallelism());
        assertEquals(6, spec.getBackoffLimit());
        assertEquals("NonIndexed", spec.getCompletionMode());
        assertEquals(false, spec.getSuspend());
        assertEquals("TerminatingOrFailed", spec.getPodReplacementPolicy());
        assertNull(spec.getManualSelector());
    }

    @Test
    void jobSelectorIsGeneratedFromTheUid() {
        Job job = Fixtures.defaulted(JOB, Job.class);
        String uid = job.getMetadata().getUid();
        assertEquals(Map.of("batch.kubernetes.io/controller-uid", uid), job.getSpec().getSelector().getMatchLabels());
        Map<String, String> expected = Map.of("batch.kubernetes.io/controller-uid", uid, "controller-uid", uid,
                "batch.kubernetes.io/job-name", "pi", "job-name", "pi");
        assertEquals(expected, job.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(expected, job.getMetadata().getLabels(), "a Job without labels takes its template's");
    }

    @Test
    void noUidNoGeneratedSelector() {
        Job job = Fixtures.defaulted(JOB.replace(", uid: 6dcf1b82-3b4c-4d3e-9a41-0a1b2c3d4e5f", ""), Job.class);
        assertNull(job.getSpec().getSelector());
    }

    @Test
    void manualSelectorsAreLeftAlone() {
        Job job = Fixtures.defaulted(JOB.replace("spec:\n  template:\n    spec:", """
                spec:
                  manualSelector: true
                  selector: {matchLabels: {app: pi}}
                  template:
                    metadata: {labels: {app: pi}}
                    spec:"""), Job.class);
        assertEquals(Map.of("app", "pi"), job.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "pi"), job.getSpec().getTemplate().getMetadata().getLabels());
    }

    @Test
    void parallelismAloneLeavesCompletionsOpen() {
        JobSpec spec = Fixtures.defaulted(JOB.replace("spec:\n  template:", "spec:\n  parallelism: 3\n  template:"), Job.class).getSpec();
        assertNull(spec.getCompletions());
        assertEquals(3, spec.getParallelism());
    }

    @Test
    void perIndexBackoffTurnsTheGlobalLimitOff() {
        JobSpec spec = Fixtures.defaulted(JOB.replace("spec:\n  template:",
                "spec:\n  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  template:"), Job.class).getSpec();
        assertEquals(Integer.MAX_VALUE, spec.getBackoffLimit());
    }

    @Test
    void podFailurePolicyChangesReplacementAndConditionStatus() {
        JobSpec spec = Fixtures.defaulted(JOB.replace("spec:\n  template:", """
                spec:
                  podFailurePolicy:
                    rules:
                    - action: Ignore
                      onPodConditions: [{type: DisruptionTarget}]
                  template:"""), Job.class).getSpec();
        assertEquals("Failed", spec.getPodReplacementPolicy());
        assertEquals("True", spec.getPodFailurePolicy().getRules().get(0).getOnPodConditions().get(0).getStatus());
    }

    @Test
    void cronJobDefaults() {
        CronJobSpec spec = Fixtures.defaulted("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: hello}
                spec:
                  schedule: "*/1 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers: [{name: hello, image: busybox:1.36}]
                """, CronJob.class).getSpec();
        assertEquals("Allow", spec.getConcurrencyPolicy());
        assertEquals(false, spec.getSuspend());
        assertEquals(3, spec.getSuccessfulJobsHistoryLimit());
        assertEquals(1, spec.getFailedJobsHistoryLimit());
        assertEquals("IfNotPresent", spec.getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
        // the Job defaults come when the CronJob controller creates each Job
        assertNull(spec.getJobTemplate().getSpec().getBackoffLimit());
    }
}
