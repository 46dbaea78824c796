package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mirrors each Service's Endpoints into EndpointSlices (one per port set), the form newer
 * clients read: {@code kubectl describe service} takes its Endpoints line from them. Slices
 * carry the Service as owner and the {@code kubernetes.io/service-name} label; only slices this
 * controller manages are touched.
 */
final class EndpointSliceController extends Controller {

    static final String SERVICE_NAME = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    /** Kubernetes' two writers: its slice controller for selector Services, the mirroring one for the rest. */
    private static final List<String> OURS = List.of("endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io");

    private static final ResourceType SERVICES = ApiResources.of(Service.class);
    private static final ResourceType ENDPOINTS = ApiResources.of(Endpoints.class);
    private static final ResourceType SLICES = ApiResources.of(EndpointSlice.class);

    EndpointSliceController(ResourceService service) {
        super(service, "endpointslice-controller");
        watch(SERVICES, Controller::itself);
        watch(ENDPOINTS, Controller::itself);
        watch(SLICES, slice -> {
            String owner = Json.metadata(slice).path("labels").path(SERVICE_NAME).asText("");
            return owner.isEmpty() ? List.of() : List.of(key(ObjectMetadata.namespace(slice), owner));
        });
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode svc = service.find(SERVICES, namespace, name).orElse(null);
        ObjectNode endpoints = service.find(ENDPOINTS, namespace, name).orElse(null);
        Map<String, ObjectNode> desired = svc == null || endpoints == null || ObjectMetadata.deleting(svc)
                ? Map.of() : slices(svc, endpoints);
        Map<String, ObjectNode> existing = new LinkedHashMap<>();
        for (ObjectNode slice : service.list(SLICES, namespace, LabelSelector.parse(SERVICE_NAME + "=" + name),
                FieldSelector.EVERYTHING).items()) {
            if (OURS.contains(Json.metadata(slice).path("labels").path(MANAGED_BY).asText())) {
                existing.put(ObjectMetadata.name(slice), slice);
            }
        }
        for (Map.Entry<String, ObjectNode> entry : desired.entrySet()) {
            ObjectNode want = entry.getValue();
            ObjectNode have = existing.remove(entry.getKey());
            if (have == null) {
                service.create(SLICES, namespace, want, RequestOptions.internal());
            } else if (!Json.same(have.path("endpoints"), want.path("endpoints")) || !Json.same(have.path("ports"), want.path("ports"))
                    || !Json.same(Json.metadata(have).path("labels"), Json.metadata(want).path("labels"))) {
                service.update(SLICES, namespace, entry.getKey(), null, RequestOptions.internal(), slice -> {
                    slice.set("endpoints", want.path("endpoints").deepCopy());
                    slice.set("ports", want.path("ports").deepCopy());
                    Json.metadata(slice).set("labels", Json.metadata(want).path("labels").deepCopy());
                    return slice;
                });
            }
        }
        existing.values().forEach(stale -> deleteIfPresent(SLICES, stale));
    }

    /** One slice per subset (a subset is one port set), named after the Service and its ports. */
    private static Map<String, ObjectNode> slices(ObjectNode svc, ObjectNode endpoints) {
        String name = ObjectMetadata.name(svc);
        boolean selected = !svc.path("spec").path("selector").isEmpty();
        Map<String, ObjectNode> slices = new LinkedHashMap<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            JsonNode ports = subset.path("ports");
            String sliceName = name + "-" + String.format("%08x", ports.toString().hashCode());
            ObjectNode slice = Json.object();
            slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
            ObjectNode meta = slice.putObject("metadata").put("name", sliceName).put("namespace", ObjectMetadata.namespace(svc));
            ObjectNode labels = meta.putObject("labels");
            Json.metadata(svc).path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            labels.put(SERVICE_NAME, name).put(MANAGED_BY, OURS.get(selected ? 0 : 1));
            meta.putArray("ownerReferences").add(Owners.reference(svc));
            boolean ipv6 = subset.path("addresses").path(0).path("ip").asText(
                    subset.path("notReadyAddresses").path(0).path("ip").asText("")).contains(":");
            slice.put("addressType", ipv6 ? "IPv6" : "IPv4");
            ArrayNode list = slice.putArray("endpoints");
            subset.path("addresses").forEach(address -> list.add(endpoint(address, true)));
            subset.path("notReadyAddresses").forEach(address -> list.add(endpoint(address, false)));
            ArrayNode slicePorts = slice.putArray("ports");
            ports.forEach(port -> slicePorts.add(port.deepCopy()));
            slices.put(sliceName, slice);
        }
        return slices;
    }

    private static ObjectNode endpoint(JsonNode address, boolean ready) {
        ObjectNode endpoint = Json.object();
        endpoint.putArray("addresses").add(address.path("ip").asText());
        endpoint.putObject("conditions").put("ready", ready).put("serving", ready).put("terminating", false);
        for (String field : List.of("hostname", "nodeName", "targetRef")) {
            if (address.hasNonNull(field)) {
                endpoint.set(field, address.get(field).deepCopy());
            }
        }
        return endpoint;
    }
}
