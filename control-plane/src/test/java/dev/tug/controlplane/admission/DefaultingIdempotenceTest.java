package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaulting an already defaulted object changes nothing, and every served kind passes validation once defaulted. */
class DefaultingIdempotenceTest {

    static Stream<Arguments> manifests() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  initContainers: [{name: init, image: busybox, command: [sh]}]
                  containers:
                  - name: nginx
                    image: nginx
                    resources: {limits: {cpu: "1"}}
                    readinessProbe: {httpGet: {port: 80}}
                  volumes: [{name: tmp}, {name: token, projected: {sources: [{serviceAccountToken: {path: token}}]}}]
                """;
        return Stream.of(
                Arguments.of(Pod.class, pod),
                Arguments.of(Deployment.class, WorkloadDefaultingTest.DEPLOYMENT),
                Arguments.of(ReplicaSet.class, WorkloadDefaultingTest.DEPLOYMENT.replace("Deployment", "ReplicaSet")),
                Arguments.of(DaemonSet.class, WorkloadDefaultingTest.DEPLOYMENT.replace("Deployment", "DaemonSet")),
                Arguments.of(ReplicationController.class, """
                        apiVersion: v1
                        kind: ReplicationController
                        metadata: {name: web}
                        spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: nginx, image: nginx}]}}}
                        """),
                Arguments.of(Job.class, WorkloadDefaultingTest.JOB),
                Arguments.of(CronJob.class, """
                        apiVersion: batch/v1
                        kind: CronJob
                        metadata: {name: hello}
                        spec:
                          schedule: "@hourly"
                          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
                        """),
                Arguments.of(Service.class, CoreDefaultingTest.SERVICE),
                Arguments.of(Service.class, CoreDefaultingTest.SERVICE.replace("spec:\n", "spec:\n  type: LoadBalancer\n  sessionAffinity: ClientIP\n")),
                Arguments.of(Endpoints.class, "{kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 80}]}]}"),
                Arguments.of(Namespace.class, "{kind: Namespace, metadata: {name: team-a}}"),
                Arguments.of(Node.class, "{kind: Node, metadata: {name: node-1}, status: {capacity: {cpu: '2'}}}"),
                Arguments.of(ConfigMap.class, "{kind: ConfigMap, metadata: {name: settings}, data: {a: b}}"),
                Arguments.of(Secret.class, "{kind: Secret, metadata: {name: db}, stringData: {password: x}}"),
                Arguments.of(ServiceAccount.class, "{kind: ServiceAccount, metadata: {name: builder}}"),
                Arguments.of(Event.class, "{kind: Event, metadata: {name: web.1, namespace: default}, involvedObject: {kind: Pod, name: web, namespace: default}}"),
                Arguments.of(PersistentVolumeClaim.class,
                        "{kind: PersistentVolumeClaim, metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void applyingTwiceEqualsApplyingOnce(Class<? extends HasMetadata> type, String yaml) {
        HasMetadata object = Fixtures.defaulted(yaml, type);
        String once = Fixtures.json(object);
        Defaulting.apply(object);
        assertEquals(once, Fixtures.json(object));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void defaultedExamplesAreValid(Class<? extends HasMetadata> type, String yaml) {
        assertEquals(java.util.List.of(), Fixtures.createProblems(yaml, type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void defaultedObjectsAreValidUpdatesOfThemselves(Class<? extends HasMetadata> type, String yaml) {
        HasMetadata object = Fixtures.defaulted(yaml, type);
        HasMetadata stored = Fixtures.defaulted(yaml, type);
        assertTrue(Fixtures.problems(object, stored).isEmpty(), () -> Fixtures.problems(object, stored).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void defaultingChangesSomethingOrTheKindHasNoDefaults(Class<? extends HasMetadata> type, String yaml) {
        boolean hasDefaults = !type.equals(ConfigMap.class) && !type.equals(ServiceAccount.class) && !type.equals(Event.class);
        String before = Fixtures.json(Fixtures.read(yaml, type));
        String after = Fixtures.json(Fixtures.defaulted(yaml, type));
        if (hasDefaults) {
            assertNotEquals(before, after);
        } else {
            assertEquals(before, after);
        }
    }
}
