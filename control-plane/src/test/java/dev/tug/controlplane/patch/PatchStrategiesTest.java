package dev.tug.controlplane.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
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
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchStrategiesTest {

    private static final List<Class<?>> SERVED_KINDS = List.of(Namespace.class, Node.class, Pod.class,
            ReplicationController.class, ReplicaSet.class, Deployment.class, DaemonSet.class, StatefulSet.class,
            Job.class, CronJob.class, Service.class, Endpoints.class, ConfigMap.class, Secret.class,
            ServiceAccount.class, Event.class, PersistentVolumeClaim.class, Scale.class);

    /** Every "Class.field" reachable from the served kinds, with whether the field is a list. */
    private static Map<String, Boolean> reachableFields() {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Boolean> fields = new HashMap<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<JavaType> pending = new ArrayDeque<>();
        SERVED_KINDS.forEach(kind -> pending.add(mapper.constructType(kind)));
        while (!pending.isEmpty()) {
            JavaType type = pending.pop();
            if (!type.getRawClass().getName().startsWith("io.fabric8.") || !seen.add(type.getRawClass())) {
                continue;
            }
            for (BeanPropertyDefinition property : mapper.getDeserializationConfig().introspect(type).findProperties()) {
                JavaType fieldType = property.getPrimaryType();
                fields.put(type.getRawClass().getSimpleName() + "." + property.getName(), fieldType.isCollectionLikeType());
                while (fieldType.isContainerType()) {
                    fieldType = fieldType.getContentType();
                }
                pending.add(fieldType);
            }
        }
        return fields;
    }

    @Test
    void everyEntryNamesAFieldReachableFromAServedKind() {
        Map<String, Boolean> reachable = reachableFields();
        PatchStrategies.all().forEach((field, strategy) -> {
            assertTrue(reachable.containsKey(field), field + " is not a field of the served kinds");
            assertEquals(strategy.mergeList(), reachable.get(field), field + ": only lists merge element-wise");
        });
    }

    @Test
    void typesAreWalkedFromTheRootClass() {
        ObjectSchema podSpec = ObjectSchema.of(Deployment.class).field("spec").field("template").field("spec");
        assertEquals("PodSpec", podSpec.typeName());
        assertEquals(new FieldStrategy(true, false, "name"), podSpec.strategy("containers"));
        assertEquals(new FieldStrategy(true, true, "name"), podSpec.strategy("volumes"));
        assertEquals(FieldStrategy.DEFAULT, podSpec.strategy("tolerations"));

        ObjectSchema container = podSpec.field("containers");
        assertEquals("Container", container.typeName(), "a list field's schema is its element type");
        assertEquals(new FieldStrategy(true, false, "containerPort"), container.strategy("ports"));
        assertEquals(new FieldStrategy(true, false, "mountPath"), container.strategy("volumeMounts"));

        assertEquals("PodSpec", ObjectSchema.of(CronJob.class).field("spec").field("jobTemplate").field("spec")
                .field("template").field("spec").typeName());
        assertEquals(new FieldStrategy(false, true, null),
                ObjectSchema.of(Deployment.class).field("spec").strategy("strategy"));
        assertEquals(new FieldStrategy(true, false, null),
                ObjectSchema.of(Pod.class).field("metadata").strategy("finalizers"));
        assertEquals(new FieldStrategy(true, false, "port"), ObjectSchema.of(Service.class).field("spec").strategy("ports"));
    }

    @Test
    void unknownFieldsAndUntypedDataGetDefaults() {
        assertEquals(ObjectSchema.UNKNOWN, ObjectSchema.of(null));
        assertEquals(ObjectSchema.UNKNOWN, ObjectSchema.of(Pod.class).field("noSuchField"));
        assertEquals(FieldStrategy.DEFAULT, ObjectSchema.of(Pod.class).field("metadata").field("labels").strategy("x"));
        assertEquals(FieldStrategy.DEFAULT, ObjectSchema.of(Scale.class).field("spec").strategy("replicas"));
    }
}
