package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.DeleteOptions;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.store.Store;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespace lifecycle: every active namespace gets its {@code default} ServiceAccount; a
 * namespace being deleted has all its objects deleted, and once none is left its
 * {@code kubernetes} finalizer is removed, which removes the namespace itself.
 */
final class NamespaceController extends RegistryLoop {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
    private static final String FINALIZER = "kubernetes";
    /**
     * How long a terminating namespace is left alone before its content is deleted. Clients that
     * delete a namespace and then its objects in one go ({@code kubectl delete -f} of a file that
     * holds both) expect those objects to still be there, as they are on Kubernetes, where
     * namespace cleanup takes seconds.
     */
    private static final Duration CLEANUP_DELAY = Duration.ofSeconds(2);

    private final ResourceService service;
    private final ResourceType namespaces = ApiResources.of(Namespace.class);
    private final ResourceType serviceAccounts = ApiResources.of(ServiceAccount.class);
    /** Terminating namespaces, with when their deletion was requested. */
    private final Map<String, Instant> terminating = new LinkedHashMap<>();

    NamespaceController(ResourceService service) {
        super(service.store(), ApiResources.of(Namespace.class).keyPrefix(), "namespace-controller");
        this.service = service;
    }

    @Override
    protected void resync(List<Store.KeyValue> items) {
        terminating.clear();
        items.forEach(kv -> observe(ResourceService.decode(kv)));
        idle();
    }

    @Override
    protected void onEvent(Store.Event event) {
        if (event.type() != Store.EventType.DELETED) {
            observe(ResourceService.decode(event.kv()));
            idle();
        }
    }

    private void observe(ObjectNode namespace) {
        String name = ObjectMetadata.name(namespace);
        if (ObjectMetadata.deleting(namespace)) {
            terminating.putIfAbsent(name, Instant.parse(Json.text(namespace, "metadata", "deletionTimestamp")));
        } else {
            ensureDefaultServiceAccount(name);
        }
    }

    /** Retries every terminating namespace: content deletion can take several passes (finalizers). */
    @Override
    protected void idle() {
        Instant due = Instant.now(service.clock()).minus(CLEANUP_DELAY);
        for (Map.Entry<String, Instant> entry : List.copyOf(terminating.entrySet())) {
            String name = entry.getKey();
            if (entry.getValue().isAfter(due)) {
                continue;
            }
            try {
                if (emptyNamespace(name)) {
                    finalizeNamespace(name);
                    terminating.remove(name);
                }
            } catch (ApiException e) {
                if (e.code() == 404) {
                    terminating.remove(name);
                } else {
                    LOG.warn("cleaning namespace {}: {}", name, e.getMessage());
                }
            }
        }
    }

    /** Deletes what is left in the namespace; true once nothing is. */
    private boolean emptyNamespace(String namespace) {
        boolean empty = true;
        for (ResourceType type : ApiResources.all()) {
            if (!type.namespaced()) {
                continue;
            }
            for (ObjectNode item : service.list(type, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
                empty = false;
                if (!ObjectMetadata.deleting(item)) {
                    try {
                        service.delete(type, namespace, ObjectMetadata.name(item), DeleteOptions.background());
                    } catch (ApiException e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
            }
        }
        return empty;
    }

    private void finalizeNamespace(String name) {
        service.update(namespaces, null, name, null, RequestOptions.internal(), ns -> {
            ObjectNode spec = ns.withObjectProperty("spec");
            var remaining = Json.MAPPER.createArrayNode();
            ns.path("spec").path("finalizers").forEach(f -> {
                if (!f.asText().equals(FINALIZER)) {
                    remaining.add(f);
                }
            });
            spec.set("finalizers", remaining);
            return ns;
        });
    }

    private void ensureDefaultServiceAccount(String namespace) {
        if (service.find(serviceAccounts, namespace, "default").isPresent()) {
            return;
        }
        ObjectNode account = Json.object();
        account.putObject("metadata").put("name", "default");
        try {
            service.create(serviceAccounts, namespace, account, RequestOptions.internal());
        } catch (ApiException e) {
            if (e.code() != 409 && e.code() != 403) {
                LOG.warn("creating the default ServiceAccount in {}: {}", namespace, e.getMessage());
            }
        }
    }
}
