package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.ApiResources;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.api.ResourceType;
import dev.tug.controlplane.objects.RequestOptions;
import dev.tug.controlplane.objects.ResourceService;
import dev.tug.controlplane.objects.ServiceNetwork;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The Services every cluster has: {@code default/kubernetes}, whose endpoint is this API server
 * (rewritten at every start, since the server may have moved), and {@code kube-system/kube-dns},
 * at the DNS address every node agent answers on. Both are selector-less, so the endpoints
 * controller leaves them alone.
 */
public final class DefaultServices {

    public static final String DNS_SERVICE = "kube-dns";
    private static final ResourceType SERVICES = ApiResources.of(Service.class);
    private static final ResourceType ENDPOINTS = ApiResources.of(Endpoints.class);

    private DefaultServices() {
    }

    public static void ensure(ResourceService service, String apiAddress, int apiPort) {
        ServiceNetwork network = service.serviceNetwork();
        createIfMissing(service, new ServiceBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(network.kubernetesServiceIp())
                .addNewPort().withName("https").withProtocol("TCP").withPort(443).withTargetPort(new IntOrString(apiPort)).endPort()
                .endSpec().build());
        createIfMissing(service, new ServiceBuilder()
                .withNewMetadata().withName(DNS_SERVICE).withNamespace("kube-system")
                .addToLabels("k8s-app", "kube-dns").addToLabels("kubernetes.io/name", "TugDNS").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(network.dnsServiceIp())
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).withTargetPort(new IntOrString(53)).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(53).withTargetPort(new IntOrString(53)).endPort()
                .endSpec().build());
        Endpoints endpoints = new EndpointsBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default").endMetadata()
                .addNewSubset().addNewAddress().withIp(apiAddress).endAddress()
                .addNewPort().withName("https").withProtocol("TCP").withPort(apiPort).endPort().endSubset()
                .build();
        ObjectNode body = Json.tree(endpoints);
        try {
            service.update(ENDPOINTS, "default", "kubernetes", null, RequestOptions.internal(), current -> {
                current.set("subsets", body.get("subsets"));
                return current;
            });
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            service.create(ENDPOINTS, "default", body, RequestOptions.internal());
        }
    }

    private static void createIfMissing(ResourceService service, Service object) {
        try {
            service.create(SERVICES, object.getMetadata().getNamespace(), Json.tree(object), RequestOptions.internal());
        } catch (ApiException e) {
            // an existing one stays as it is (a cluster may have changed it on purpose)
            if (e.code() != 409) {
                throw e;
            }
        }
    }
}
