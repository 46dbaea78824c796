package dev.tug.controlplane.patch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code patchStrategy}/{@code patchMergeKey} struct tags of the Kubernetes API types
 * (k8s.io/api and k8s.io/apimachinery v0.32, which kubectl 1.32 is built against), keyed by the
 * fabric8 class that declares the field and the field's JSON name. fabric8 flattens Go's embedded
 * structs, so tags of {@code EphemeralContainerCommon} sit on {@link EphemeralContainer}.
 *
 * <p>Only the kinds the API server serves (and the types they reach) are listed; every other field
 * gets {@link FieldStrategy#DEFAULT}. Class literals keep the table honest at compile time; a test
 * checks that every field name exists on its class.
 */
final class PatchStrategies {

    private static final Map<String, FieldStrategy> BY_CLASS_AND_FIELD = build();

    private PatchStrategies() {
    }

    static FieldStrategy lookup(String classSimpleName, String field) {
        return BY_CLASS_AND_FIELD.getOrDefault(classSimpleName + "." + field, FieldStrategy.DEFAULT);
    }

    /** The whole table, "Class.field" to strategy; for tests and diagnostics. */
    static Map<String, FieldStrategy> all() {
        return Collections.unmodifiableMap(BY_CLASS_AND_FIELD);
    }

    private static Map<String, FieldStrategy> build() {
        Map<String, FieldStrategy> table = new HashMap<>();

        // meta/v1
        mergeSet(table, ObjectMeta.class, "finalizers");
        merge(table, ObjectMeta.class, "ownerReferences", "uid");

        // core/v1 pods and pod templates
        merge(table, PodSpec.class, "containers", "name");
        merge(table, PodSpec.class, "initContainers", "name");
        merge(table, PodSpec.class, "ephemeralContainers", "name");
        mergeRetainingKeys(table, PodSpec.class, "volumes", "name");
        merge(table, PodSpec.class, "imagePullSecrets", "name");
        merge(table, PodSpec.class, "hostAliases", "ip");
        merge(table, PodSpec.class, "topologySpreadConstraints", "topologyKey");
        merge(table, PodSpec.class, "schedulingGates", "name");
        mergeRetainingKeys(table, PodSpec.class, "resourceClaims", "name");
        for (Class<?> container : new Class<?>[] {Container.class, EphemeralContainer.class}) {
            merge(table, container, "ports", "containerPort");
            merge(table, container, "env", "name");
            merge(table, container, "volumeMounts", "mountPath");
            merge(table, container, "volumeDevices", "devicePath");
        }
        merge(table, PodStatus.class, "conditions", "type");
        merge(table, PodStatus.class, "hostIPs", "ip");
        merge(table, PodStatus.class, "podIPs", "ip");
        mergeRetainingKeys(table, PodStatus.class, "resourceClaimStatuses", "name");
        merge(table, ContainerStatus.class, "volumeMounts", "mountPath");
        merge(table, ContainerStatus.class, "allocatedResourcesStatus", "name");

        // core/v1 other kinds
        merge(table, ReplicationControllerStatus.class, "conditions", "type");
        merge(table, ServiceSpec.class, "ports", "port");
        merge(table, ServiceStatus.class, "conditions", "type");
        merge(table, ServiceAccount.class, "secrets", "name");
        mergeSet(table, NodeSpec.class, "podCIDRs");
        merge(table, NodeStatus.class, "conditions", "type");
        merge(table, NodeStatus.class, "addresses", "type");
        merge(table, NamespaceStatus.class, "conditions", "type");
        merge(table, PersistentVolumeClaimStatus.class, "conditions", "type");

        // apps/v1 (DaemonSetSpec.updateStrategy has no retainKeys tag, unlike DeploymentSpec.strategy)
        retainKeys(table, DeploymentSpec.class, "strategy");
        merge(table, DeploymentStatus.class, "conditions", "type");
        merge(table, ReplicaSetStatus.class, "conditions", "type");
        merge(table, DaemonSetStatus.class, "conditions", "type");
        merge(table, StatefulSetStatus.class, "conditions", "type");

        // batch/v1 (CronJob has no tags of its own; its job template reaches JobSpec and PodSpec)
        merge(table, JobStatus.class, "conditions", "type");
        return table;
    }

    private static void merge(Map<String, FieldStrategy> table, Class<?> type, String field, String mergeKey) {
        table.put(type.getSimpleName() + "." + field, new FieldStrategy(true, false, mergeKey));
    }

    private static void mergeRetainingKeys(Map<String, FieldStrategy> table, Class<?> type, String field, String mergeKey) {
        table.put(type.getSimpleName() + "." + field, new FieldStrategy(true, true, mergeKey));
    }

    /** A list of primitives merged as a set. */
    private static void mergeSet(Map<String, FieldStrategy> table, Class<?> type, String field) {
        table.put(type.getSimpleName() + "." + field, new FieldStrategy(true, false, null));
    }

    /** A map (union type) whose patch carries {@code $retainKeys}. */
    private static void retainKeys(Map<String, FieldStrategy> table, Class<?> type, String field) {
        table.put(type.getSimpleName() + "." + field, new FieldStrategy(false, true, null));
    }
}
