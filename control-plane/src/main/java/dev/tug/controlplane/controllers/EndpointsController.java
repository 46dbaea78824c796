package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.FieldSelector;
import dev.tug.controlplane.objects.LabelSelector;
import dev.tug.controlplane.objects.ObjectMetadata;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps each Service's Endpoints equal to the pods its selector picks: ready pods under
 * {@code addresses}, the others under {@code notReadyAddresses}, each port resolved per pod
 * (a named targetPort may be a different number in each pod). Pods with the same ports share a
 * subset. Services without a selector keep the Endpoints their users wrote.
 */
final class EndpointsController extends Controller {

    private static final ResourceType SERVICES = ApiResources.of(Service.class);
    private static final ResourceType ENDPOINTS = ApiResources.of(Endpoints.class);
    private static final ResourceType PODS = ApiResources.of(Pod.class);
    private static final Comparator<EndpointAddress> BY_IP = Comparator.comparing(EndpointAddress::getIp)
            .thenComparing(a -> Objects.toString(a.getTargetRef() == null ? null : a.getTargetRef().getName(), ""));

    EndpointsController(ResourceService service) {
        super(service, "endpoints-controller");
        watch(SERVICES, Controller::itself);
        watch(ENDPOINTS, Controller::itself);
        watchChanges(PODS, this::servicesOf);
    }

    /** The Services that select the pod before or after the change, when anything endpoints show changed. */
    private Collection<String> servicesOf(ObjectNode before, ObjectNode after) {
        if (before != null && after != null && Json.same(endpointView(before), endpointView(after))) {
            return List.of();
        }
        Set<String> keys = new HashSet<>();
        for (ObjectNode pod : new ObjectNode[] {before, after}) {
            if (pod == null) {
                continue;
            }
            String namespace = ObjectMetadata.namespace(pod);
            for (ObjectNode svc : service.list(SERVICES, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()) {
                LabelSelector selector = selector(svc);
                if (selector != null && selector.matches(ObjectMetadata.labels(pod))) {
                    keys.add(key(namespace, ObjectMetadata.name(svc)));
                }
            }
        }
        return keys;
    }

    /**
     * What of a pod its endpoints show: labels, address, node, readiness, hostname, deletion
     * (container ports cannot change on a pod).
     */
    private static ObjectNode endpointView(ObjectNode pod) {
        ObjectNode view = Json.object();
        view.set("labels", Json.metadata(pod).path("labels"));
        view.put("deleting", ObjectMetadata.deleting(pod));
        view.put("ip", Json.text(pod, "status", "podIP"));
        view.put("phase", Pods.phase(pod));
        view.put("ready", Pods.ready(pod));
        view.put("node", Json.text(pod, "spec", "nodeName"));
        view.put("hostname", Json.text(pod, "spec", "hostname"));
        view.put("subdomain", Json.text(pod, "spec", "subdomain"));
        return view;
    }

    private static LabelSelector selector(JsonNode svc) {
        JsonNode selector = svc.path("spec").path("selector");
        return selector.isEmpty() ? null : Claims.selector(svc);
    }

    @Override
    protected void reconcile(String namespace, String name) {
        ObjectNode svc = service.find(SERVICES, namespace, name).orElse(null);
        if (svc == null) {
            // a Service's endpoints go with it, hand-made or not
            service.find(ENDPOINTS, namespace, name).ifPresent(e -> deleteIfPresent(ENDPOINTS, e));
            return;
        }
        LabelSelector selector = selector(svc);
        if (selector == null || ObjectMetadata.deleting(svc)) {
            return;
        }
        List<ObjectNode> pods = service.list(PODS, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING).items()
                .stream().filter(pod -> selector.matches(ObjectMetadata.labels(pod))).toList();
        ObjectNode desired = Json.tree(endpoints(svc, pods));
        ObjectNode current = service.find(ENDPOINTS, namespace, name).orElse(null);
        if (current == null) {
            service.create(ENDPOINTS, namespace, desired, RequestOptions.internal());
        } else if (!Json.same(current.path("subsets"), desired.path("subsets"))
                || !Json.same(Json.metadata(current).path("labels"), Json.metadata(desired).path("labels"))) {
            service.update(ENDPOINTS, namespace, name, null, RequestOptions.internal(), e -> {
                replace(e, desired, "subsets");
                replace(Json.metadata(e), Json.metadata(desired), "labels");
                return e;
            });
        }
    }

    private static void replace(ObjectNode target, ObjectNode source, String field) {
        if (source.hasNonNull(field)) {
            target.set(field, source.get(field).deepCopy());
        } else {
            target.remove(field);
        }
    }

    static Endpoints endpoints(JsonNode svc, List<ObjectNode> pods) {
        JsonNode spec = svc.path("spec");
        boolean publishNotReady = spec.path("publishNotReadyAddresses").asBoolean(false);
        boolean headless = "None".equals(Json.text(spec, "clusterIP"));
        // pods grouped by the ports they resolve to; each group is one subset
        Map<List<EndpointPort>, List<EndpointAddress>> ready = new LinkedHashMap<>();
        Map<List<EndpointPort>, List<EndpointAddress>> notReady = new LinkedHashMap<>();
        for (ObjectNode pod : pods) {
            String ip = Json.text(pod, "status", "podIP");
            if (ip == null || ip.isEmpty() || Pods.terminal(pod) || ObjectMetadata.deleting(pod) && !publishNotReady) {
                continue;
            }
            List<EndpointPort> ports = ports(spec, pod);
            if (ports.isEmpty() && !(headless && spec.path("ports").isEmpty())) {
                continue;
            }
            boolean isReady = publishNotReady || Pods.ready(pod) && !ObjectMetadata.deleting(pod);
            (isReady ? ready : notReady).computeIfAbsent(ports, p -> new ArrayList<>()).add(address(svc, pod, ip));
        }
        Set<List<EndpointPort>> portSets = new LinkedHashSet<>(ready.keySet());
        portSets.addAll(notReady.keySet());
        List<EndpointSubset> subsets = new ArrayList<>();
        for (List<EndpointPort> ports : portSets) {
            List<EndpointAddress> addresses = new ArrayList<>(ready.getOrDefault(ports, List.of()));
            List<EndpointAddress> waiting = new ArrayList<>(notReady.getOrDefault(ports, List.of()));
            addresses.sort(BY_IP);
            waiting.sort(BY_IP);
            EndpointSubset subset = new EndpointSubset();
            subset.setAddresses(addresses.isEmpty() ? null : addresses);
            subset.setNotReadyAddresses(waiting.isEmpty() ? null : waiting);
            subset.setPorts(ports.isEmpty() ? null : ports);
            subsets.add(subset);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Json.metadata((ObjectNode) svc).path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (headless) {
            labels.put("service.kubernetes.io/headless", "");
        }
        return new EndpointsBuilder()
                .withNewMetadata().withName(ObjectMetadata.name((ObjectNode) svc)).withNamespace(ObjectMetadata.namespace((ObjectNode) svc))
                .withLabels(labels.isEmpty() ? null : labels).endMetadata()
                .withSubsets(subsets.isEmpty() ? null : subsets)
                .build();
    }

    /** The Service's ports as this pod serves them; a named targetPort the pod lacks leaves that port out. */
    private static List<EndpointPort> ports(JsonNode spec, JsonNode pod) {
        List<EndpointPort> ports = new ArrayList<>();
        for (JsonNode port : spec.path("ports")) {
            String protocol = protocol(port);
            JsonNode target = port.path("targetPort");
            Integer number = target.isInt() ? Integer.valueOf(target.asInt())
                    : target.isTextual() ? containerPort(pod, target.asText(), protocol)
                    : Integer.valueOf(port.path("port").asInt());
            if (number != null) {
                ports.add(new EndpointPortBuilder().withName(Json.text(port, "name")).withPort(number)
                        .withProtocol(protocol).withAppProtocol(Json.text(port, "appProtocol")).build());
            }
        }
        return ports;
    }

    private static Integer containerPort(JsonNode pod, String name, String protocol) {
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (name.equals(Json.text(port, "name"))
                        && protocol.equals(protocol(port))) {
                    return port.path("containerPort").asInt();
                }
            }
        }
        return null;
    }

    /** A port's protocol; Kubernetes' default is TCP. */
    private static String protocol(JsonNode port) {
        return Objects.requireNonNullElse(Json.text(port, "protocol"), "TCP");
    }

    private static EndpointAddress address(JsonNode svc, ObjectNode pod, String ip) {
        JsonNode spec = pod.path("spec");
        // a pod named into the Service's DNS domain (hostname + subdomain) gets its own record
        String hostname = Json.text(spec, "hostname");
        boolean named = hostname != null && !hostname.isEmpty()
                && ObjectMetadata.name((ObjectNode) svc).equals(Json.text(spec, "subdomain"));
        return new EndpointAddressBuilder().withIp(ip).withNodeName(Json.text(spec, "nodeName"))
                .withHostname(named ? hostname : null)
                .withNewTargetRef().withKind("Pod").withNamespace(ObjectMetadata.namespace(pod))
                .withName(ObjectMetadata.name(pod)).withUid(ObjectMetadata.uid(pod)).endTargetRef()
                .build();
    }
}
