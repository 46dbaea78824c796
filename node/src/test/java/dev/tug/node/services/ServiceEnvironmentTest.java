package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The variables and resolv.conf a pod gets from the Services around it. */
class ServiceEnvironmentTest {

    final ServiceCatalog catalog = new ServiceCatalog();

    ServiceEnvironmentTest() {
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("redis-primary").withNamespace("shop").endMetadata()
                .withNewSpec().withClusterIP("127.96.0.44")
                .addNewPort().withName("redis").withProtocol("TCP").withPort(6379).endPort()
                .addNewPort().withName("metrics").withProtocol("UDP").withPort(9121).endPort().endSpec().build());
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("headless").withNamespace("shop").endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withPort(80).endPort().endSpec().build());
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("127.96.0.1").addNewPort().withName("https").withProtocol("TCP").withPort(443).endPort()
                .endSpec().build());
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("elsewhere").withNamespace("other").endMetadata()
                .withNewSpec().withClusterIP("127.96.0.45").addNewPort().withPort(80).endPort().endSpec().build());
    }

    @Test
    void kubernetesDefinesTheNamesAndValues() {
        Map<String, String> env = ServiceEnvironment.variables(catalog, "shop", true);
        assertEquals("127.96.0.44", env.get("REDIS_PRIMARY_SERVICE_HOST"));
        assertEquals("6379", env.get("REDIS_PRIMARY_SERVICE_PORT"), "the first port");
        assertEquals("6379", env.get("REDIS_PRIMARY_SERVICE_PORT_REDIS"));
        assertEquals("9121", env.get("REDIS_PRIMARY_SERVICE_PORT_METRICS"));
        assertEquals("tcp://127.96.0.44:6379", env.get("REDIS_PRIMARY_PORT"));
        assertEquals("udp://127.96.0.44:9121", env.get("REDIS_PRIMARY_PORT_9121_UDP"));
        assertEquals("udp", env.get("REDIS_PRIMARY_PORT_9121_UDP_PROTO"));
        assertEquals("9121", env.get("REDIS_PRIMARY_PORT_9121_UDP_PORT"));
        assertEquals("127.96.0.44", env.get("REDIS_PRIMARY_PORT_6379_TCP_ADDR"));
        assertEquals("127.96.0.1", env.get("KUBERNETES_SERVICE_HOST"), "the API server's Service is in every namespace");
        assertFalse(env.containsKey("HEADLESS_SERVICE_HOST"), "headless Services have no address to give");
        assertFalse(env.containsKey("ELSEWHERE_SERVICE_HOST"), "other namespaces' Services are not listed");

        Map<String, String> noLinks = ServiceEnvironment.variables(catalog, "shop", false);
        assertEquals(Map.of("KUBERNETES_SERVICE_HOST", "127.96.0.1", "KUBERNETES_SERVICE_PORT", "443",
                "KUBERNETES_SERVICE_PORT_HTTPS", "443", "KUBERNETES_PORT", "tcp://127.96.0.1:443",
                "KUBERNETES_PORT_443_TCP", "tcp://127.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO", "tcp",
                "KUBERNETES_PORT_443_TCP_PORT", "443", "KUBERNETES_PORT_443_TCP_ADDR", "127.96.0.1"), noLinks,
                "enableServiceLinks: false leaves only the kubernetes Service");
    }

    @Test
    void resolvConfFollowsTheDnsPolicy() throws Exception {
        Path host = Files.createTempFile("resolv", ".conf");
        Files.writeString(host, "nameserver 192.0.2.1\nsearch corp.example\n");
        PodDns dns = new PodDns(() -> "127.96.0.10", "cluster.local", host);
        var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("shop").endMetadata().withNewSpec().endSpec().build();
        assertEquals("search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 127.96.0.10\noptions ndots:5\n",
                dns.resolvConf(pod).orElseThrow());
        pod.getSpec().setDnsPolicy("Default");
        assertTrue(dns.resolvConf(pod).isEmpty(), "Default keeps the host's file");
        pod.getSpec().setDnsPolicy("None");
        pod.getSpec().setDnsConfig(new io.fabric8.kubernetes.api.model.PodDNSConfigBuilder().addToNameservers("127.0.0.53")
                .addToSearches("example.org").addNewOption().withName("ndots").withValue("2").endOption().build());
        assertEquals("search example.org\nnameserver 127.0.0.53\noptions ndots:2\n", dns.resolvConf(pod).orElseThrow());
        assertTrue(new PodDns(() -> null, "cluster.local", host).resolvConf(new PodBuilder().withNewMetadata().withNamespace("x")
                .endMetadata().withNewSpec().endSpec().build()).isEmpty(), "no cluster DNS served: the host's file");
        Files.delete(host);
    }
}
