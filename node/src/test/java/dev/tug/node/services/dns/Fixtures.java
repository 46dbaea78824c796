package dev.tug.node.services.dns;

import dev.tug.node.services.ServiceCatalog;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A small cluster's worth of Services and Endpoints, and a way to ask a server about them. */
final class Fixtures {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Fixtures() {
    }

    /**
     * default/web: ClusterIP 10.96.0.10, ports http 80/TCP and dns 53/UDP.
     * default/db: headless; ready 10.0.0.1 (hostname db-0) and 10.0.0.2, not ready 10.0.0.3 (db-2); port pg 5432 → 15432.
     * default/pub: headless publishing not-ready addresses; ready 10.0.1.1, not ready 10.0.1.2.
     * default/ext: ExternalName example.org.
     * other/api: ClusterIP 10.96.0.20.
     */
    static ServiceCatalog catalog() {
        ServiceCatalog catalog = new ServiceCatalog();
        catalog.putService(new ServiceBuilder()
                .withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80).build(),
                        new ServicePortBuilder().withName("dns").withProtocol("UDP").withPort(53).build())
                .endSpec().build());
        catalog.putService(headless("default", "db", false, "pg", 5432));
        catalog.putEndpoints(new EndpointsBuilder()
                .withNewMetadata().withNamespace("default").withName("db").endMetadata()
                .withSubsets(new EndpointSubsetBuilder()
                        .withAddresses(address("10.0.0.1", "db-0"), address("10.0.0.2", null))
                        .withNotReadyAddresses(address("10.0.0.3", "db-2"))
                        .withPorts(new EndpointPortBuilder().withName("pg").withProtocol("TCP").withPort(15432).build())
                        .build())
                .build());
        catalog.putService(headless("default", "pub", true, "http", 80));
        catalog.putEndpoints(new EndpointsBuilder()
                .withNewMetadata().withNamespace("default").withName("pub").endMetadata()
                .withSubsets(new EndpointSubsetBuilder()
                        .withAddresses(address("10.0.1.1", null))
                        .withNotReadyAddresses(address("10.0.1.2", null))
                        .withPorts(new EndpointPortBuilder().withName("http").withProtocol("TCP").withPort(8080).build())
                        .build())
                .build());
        catalog.putService(new ServiceBuilder()
                .withNewMetadata().withNamespace("default").withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.org").endSpec().build());
        catalog.putService(clusterIp("other", "api", "10.96.0.20"));
        return catalog;
    }

    static Service clusterIp(String namespace, String name, String ip) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ip)
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80).build())
                .endSpec().build();
    }

    static Service headless(String namespace, String name, boolean publishNotReady, String portName, int port) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("None").withPublishNotReadyAddresses(publishNotReady)
                .withPorts(new ServicePortBuilder().withName(portName).withProtocol("TCP").withPort(port).build())
                .endSpec().build();
    }

    static Endpoints endpoints(String namespace, String name, List<EndpointAddress> ready) {
        return new EndpointsBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withSubsets(new EndpointSubsetBuilder().withAddresses(ready).build())
                .build();
    }

    static EndpointAddress address(String ip, String hostname) {
        return new EndpointAddressBuilder().withIp(ip).withHostname(hostname).build();
    }

    static SimpleResolver resolver(InetSocketAddress server, boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    static Message ask(InetSocketAddress server, boolean tcp, String name, int type) throws IOException {
        return resolver(server, tcp).send(query(name, type));
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }
}
