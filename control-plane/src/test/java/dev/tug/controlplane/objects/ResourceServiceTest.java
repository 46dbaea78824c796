package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.store.SqliteStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API semantics below HTTP: metadata the server owns, concurrency, subresources, finalizers. */
class ResourceServiceTest {

    @TempDir
    Path dir;
    SqliteStore store;
    ResourceService service;
    final ResourceType configMaps = ApiResources.of(ConfigMap.class);
    final ResourceType deployments = ApiResources.of(Deployment.class);

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        service = new ResourceService(store, Clock.systemUTC());
        ObjectNode ns = Json.object();
        ns.putObject("metadata").put("name", "default");
        service.create(ApiResources.of(Namespace.class), null, ns, RequestOptions.internal());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectNode parse(String json) {
        return Json.parseObject(json.getBytes());
    }

    private ObjectNode deployment(String name) {
        return parse("""
                {"metadata":{"name":"%s"},"spec":{"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
                """.formatted(name));
    }

    @Test
    void createSetsWhatTheServerOwns() {
        ObjectNode created = service.create(configMaps, "default",
                parse("{\"metadata\":{\"generateName\":\"cfg-\",\"uid\":\"forged\"}}"), RequestOptions.internal());
        String name = ObjectMetadata.name(created);
        assertTrue(name.matches("cfg-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        assertNotEquals("forged", ObjectMetadata.uid(created));
        assertEquals(Long.toString(store.currentRevision()), ObjectMetadata.resourceVersion(created));
        assertEquals("ConfigMap", created.get("kind").asText());
        assertEquals(404, assertThrows(ApiException.class, () -> service.create(configMaps, "nowhere",
                parse("{\"metadata\":{\"name\":\"x\"}}"), RequestOptions.internal())).code(),
                "a namespace that does not exist");
        assertEquals(409, assertThrows(ApiException.class, () -> service.create(configMaps, "default",
                parse("{\"metadata\":{\"name\":\"" + name + "\"}}"), RequestOptions.internal())).code());
    }

    @Test
    void staleResourceVersionsConflictAndSpecChangesBumpTheGeneration() {
        ObjectNode created = service.create(deployments, "default", deployment("web"), RequestOptions.internal());
        assertEquals(1, created.path("metadata").path("generation").asInt());
        ObjectNode scaled = created.deepCopy();
        scaled.withObjectProperty("spec").put("replicas", 3);
        ObjectNode updated = service.update(deployments, "default", "web", null, scaled, RequestOptions.internal());
        assertEquals(2, updated.path("metadata").path("generation").asInt());

        ApiException stale = assertThrows(ApiException.class,
                () -> service.update(deployments, "default", "web", null, scaled, RequestOptions.internal()));
        assertEquals(409, stale.code());
        assertTrue(stale.getMessage().contains("the object has been modified"), stale.getMessage());

        ObjectNode labelled = updated.deepCopy();
        Json.metadata(labelled).putObject("labels").put("tier", "front");
        ObjectNode relabelled = service.update(deployments, "default", "web", null, labelled, RequestOptions.internal());
        assertEquals(2, relabelled.path("metadata").path("generation").asInt(), "metadata is not spec");
    }

    @Test
    void statusAndSpecAreWrittenSeparately() {
        ObjectNode created = service.create(deployments, "default", deployment("web"), RequestOptions.internal());
        ObjectNode withStatus = created.deepCopy();
        withStatus.putObject("status").put("replicas", 7);
        withStatus.withObjectProperty("spec").put("replicas", 9);
        ObjectNode afterStatus = service.update(deployments, "default", "web", "status", withStatus,
                RequestOptions.internal());
        assertEquals(7, afterStatus.path("status").path("replicas").asInt());
        assertEquals(1, afterStatus.path("spec").path("replicas").asInt(), "a status write keeps the spec");

        ObjectNode mainWrite = afterStatus.deepCopy();
        mainWrite.putObject("status").put("replicas", 0);
        ObjectNode afterMain = service.update(deployments, "default", "web", null, mainWrite, RequestOptions.internal());
        assertEquals(7, afterMain.path("status").path("replicas").asInt(), "a main write keeps the status");
    }

    @Test
    void finalizersHoldADeletedObjectUntilRemoved() {
        service.create(configMaps, "default", parse("{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/x\"]}}"),
                RequestOptions.internal());
        ResourceService.DeleteOutcome outcome = service.delete(configMaps, "default", "held", DeleteOptions.background());
        assertFalse(outcome.finished());
        assertTrue(ObjectMetadata.deleting(service.get(configMaps, "default", "held")));
        service.update(configMaps, "default", "held", null, RequestOptions.internal(), cm -> {
            ObjectMetadata.setFinalizers(cm, List.of());
            return cm;
        });
        assertTrue(service.find(configMaps, "default", "held").isEmpty(), "gone once the last finalizer is");
    }

    @Test
    void unknownFieldsAreRefusedWarnedAboutOrDropped() {
        String body = "{\"metadata\":{\"name\":\"u\"},\"data\":{\"a\":\"b\"},\"colour\":\"red\"}";
        ApiException strict = assertThrows(ApiException.class, () -> service.create(configMaps, "default", parse(body),
                new RequestOptions(false, RequestOptions.FieldValidation.STRICT)));
        assertEquals(400, strict.code());
        assertTrue(strict.getMessage().contains("unknown field \"colour\""), strict.getMessage());

        RequestOptions warn = new RequestOptions(false, RequestOptions.FieldValidation.WARN);
        ObjectNode created = service.create(configMaps, "default", parse(body), warn);
        assertEquals(List.of("unknown field \"colour\""), warn.warnings());
        assertFalse(created.has("colour"), "unknown fields are never stored");
    }

    @Test
    void defaultsAreVisibleOnWhatIsStored() {
        ObjectNode secret = service.create(ApiResources.of(Secret.class), "default",
                parse("{\"metadata\":{\"name\":\"s\"},\"stringData\":{\"password\":\"s3cret\"}}"), RequestOptions.internal());
        assertEquals("czNjcmV0", secret.path("data").path("password").asText());
        assertEquals("Opaque", secret.path("type").asText());
        assertFalse(secret.has("stringData"));

        ObjectNode job = service.create(ApiResources.of(Job.class), "default", parse("""
                {"metadata":{"name":"once"},"spec":{"template":{"spec":{"restartPolicy":"Never",
                 "containers":[{"name":"main","image":"busybox"}]}}}}"""), RequestOptions.internal());
        String uid = ObjectMetadata.uid(job);
        assertEquals(uid, job.path("spec").path("selector").path("matchLabels")
                .path("batch.kubernetes.io/controller-uid").asText());
        assertEquals("once", job.path("spec").path("template").path("metadata").path("labels").path("job-name").asText());
        assertEquals(6, job.path("spec").path("backoffLimit").asInt());
        assertEquals("Always", job.path("spec").path("template").path("spec").path("containers").path(0)
                .path("imagePullPolicy").asText(), "no tag means :latest");
    }
}
