package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks objects as the Kubernetes API server does before storing them, reporting every problem
 * with the field path, reason and message Kubernetes would give (the common rules of each kind,
 * not all of them). Call it after {@link Defaulting#apply}: several fields are required because
 * defaulting always sets them.
 *
 * <p>Kinds without rules of their own (ServiceAccount, and any other) get the metadata rules.
 * Namespace presence and scope are the server's business, as is the node port range it allocates
 * from ({@value ServiceValidation#NODE_PORT_MIN}-{@value ServiceValidation#NODE_PORT_MAX} here).
 */
public final class Validation {

    private static final Kind<HasMetadata> ANY_KIND = new Kind<>(HasMetadata.class, Names::dns1123Subdomain, (object, old, errors) -> { });

    /** Names that become DNS labels are held to that; Services' also start with a letter. */
    private static final Map<Class<?>, Kind<?>> KINDS = index(
            new Kind<>(Pod.class, Names::dns1123Subdomain, PodValidation::pod),
            new Kind<>(Deployment.class, Names::dns1123Subdomain, WorkloadValidation::deployment),
            new Kind<>(ReplicaSet.class, Names::dns1123Subdomain, WorkloadValidation::replicaSet),
            new Kind<>(ReplicationController.class, Names::dns1123Subdomain,
                    (controller, old, errors) -> WorkloadValidation.replicationController(controller, errors)),
            new Kind<>(DaemonSet.class, Names::dns1123Subdomain, WorkloadValidation::daemonSet),
            new Kind<>(Job.class, Names::dns1123Subdomain, JobValidation::job),
            new Kind<>(CronJob.class, Names::dns1123Subdomain, JobValidation::cronJob),
            new Kind<>(Service.class, Names::dns1035Label, ServiceValidation::service),
            new Kind<>(Endpoints.class, Names::dns1123Subdomain, (endpoints, old, errors) -> ServiceValidation.endpoints(endpoints, errors)),
            new Kind<>(EndpointSlice.class, Names::dns1123Subdomain, ServiceValidation::endpointSlice),
            new Kind<>(Namespace.class, Names::dns1123Label, (namespace, old, errors) -> CoreValidation.namespace(namespace, errors)),
            new Kind<>(Node.class, Names::dns1123Subdomain, (node, old, errors) -> CoreValidation.node(node, errors)),
            new Kind<>(ConfigMap.class, Names::dns1123Subdomain, CoreValidation::configMap),
            new Kind<>(Secret.class, Names::dns1123Subdomain, CoreValidation::secret),
            new Kind<>(Event.class, Names::dns1123Subdomain, (event, old, errors) -> CoreValidation.event(event, errors)),
            new Kind<>(PersistentVolumeClaim.class, Names::dns1123Subdomain, CoreValidation::persistentVolumeClaim),
            new Kind<>(Scale.class, Names::dns1123Subdomain, (scale, old, errors) -> CoreValidation.scale(scale, errors)));

    private Validation() {
    }

    /** All problems of an object; `old` is the stored object on update (null on create) for immutable-field rules. */
    public static List<FieldError> validate(HasMetadata object, HasMetadata old) {
        if (old != null && old.getClass() != object.getClass()) {
            throw new IllegalArgumentException("cannot compare a " + object.getKind() + " with a stored " + old.getKind());
        }
        List<FieldError> errors = new ArrayList<>();
        Kind<?> kind = KINDS.getOrDefault(object.getClass(), ANY_KIND);
        Metadata.validate(object.getMetadata(), kind.nameRule(), errors);
        if (old != null) {
            Metadata.validateUpdate(object.getMetadata(), old.getMetadata(), errors);
        }
        kind.check(object, old, errors);
        // one message once, as Kubernetes' aggregate does
        return List.copyOf(new LinkedHashSet<>(errors));
    }

    /** A kind's own rules: the object, the stored object on update (else null), and where problems go. */
    @FunctionalInterface
    private interface Rules<T> {
        void check(T object, T old, List<FieldError> errors);
    }

    private record Kind<T extends HasMetadata>(Class<T> type, Function<String, List<String>> nameRule, Rules<T> rules) {

        void check(HasMetadata object, HasMetadata old, List<FieldError> errors) {
            rules.check(type.cast(object), type.cast(old), errors);
        }
    }

    private static Map<Class<?>, Kind<?>> index(Kind<?>... kinds) {
        return Arrays.stream(kinds).collect(Collectors.toUnmodifiableMap(Kind::type, kind -> kind));
    }
}
