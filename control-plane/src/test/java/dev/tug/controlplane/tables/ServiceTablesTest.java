package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.TableFixtures.ago;
import static dev.tug.controlplane.tables.TableFixtures.cells;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceTablesTest {

    private static final String METADATA = "\"metadata\": {\"name\": \"web\", \"creationTimestamp\": \""
            + ago(Duration.ofDays(2).plusHours(5)) + "\"}";

    private static String service(String spec) {
        return "{" + METADATA + ", \"spec\": " + spec + "}";
    }

    @Test
    void clusterIpServiceListsPortsAndSelector() {
        String service = service("{\"type\": \"ClusterIP\", \"clusterIP\": \"10.96.0.10\", \"clusterIPs\": [\"10.96.0.10\"],"
                + " \"ports\": [{\"port\": 80, \"protocol\": \"TCP\", \"targetPort\": 8080}, {\"port\": 443}],"
                + " \"selector\": {\"app\": \"web\"}}");

        assertEquals(List.of("web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,443/TCP", "2d5h", "app=web"),
                cells("Service", service));
    }

    @Test
    void nodePortServiceShowsNodePortsAndExternalIps() {
        String service = service("{\"type\": \"NodePort\", \"clusterIP\": \"10.96.3.4\", \"externalIPs\":"
                + " [\"192.0.2.1\", \"192.0.2.2\"], \"ports\": [{\"port\": 80, \"nodePort\": 30080, \"protocol\": \"TCP\"},"
                + " {\"port\": 53, \"protocol\": \"UDP\"}]}");

        assertEquals(List.of("web", "NodePort", "10.96.3.4", "192.0.2.1,192.0.2.2", "80:30080/TCP,53/UDP", "2d5h",
                "<none>"), cells("Service", service));
    }

    @Test
    void loadBalancerIsPendingUntilItHasAnIngress() {
        String pending = service("{\"type\": \"LoadBalancer\", \"clusterIPs\": [\"10.96.0.5\"],"
                + " \"ports\": [{\"port\": 443, \"nodePort\": 31443, \"protocol\": \"TCP\"}]}");
        String ready = "{" + METADATA + ", \"spec\": {\"type\": \"LoadBalancer\", \"externalIPs\": [\"192.0.2.9\"]},"
                + " \"status\": {\"loadBalancer\": {\"ingress\": [{\"ip\": \"203.0.113.9\"},"
                + " {\"hostname\": \"lb.example.com\"}, {\"ip\": \"203.0.113.9\"}]}}}";

        assertEquals(List.of("web", "LoadBalancer", "10.96.0.5", "<pending>", "443:31443/TCP"),
                cells("Service", pending).subList(0, 5));
        assertEquals("203.0.113.9,lb.example.com,192.0.2.9", cells("Service", ready).get(3));
    }

    @Test
    void externalNameServiceShowsTheName() {
        String service = service("{\"type\": \"ExternalName\", \"externalName\": \"db.example.com\"}");

        assertEquals(List.of("web", "ExternalName", "<none>", "db.example.com", "<none>"),
                cells("Service", service).subList(0, 5));
    }

    @Test
    void headlessServiceDefaultsToClusterIpType() {
        String service = service("{\"clusterIP\": \"None\", \"ports\": [{\"port\": 5432}]}");

        assertEquals(List.of("web", "ClusterIP", "None", "<none>", "5432/TCP"), cells("Service", service).subList(0, 5));
    }

    @Test
    void endpointsListUpToThreeAddressesThenACount() {
        assertEquals("<none>", endpointsOf("[]"));
        assertEquals("10.0.0.1:80,10.0.0.2:80", endpointsOf("[{\"addresses\": [{\"ip\": \"10.0.0.1\"},"
                + " {\"ip\": \"10.0.0.2\"}], \"ports\": [{\"port\": 80}]}]"));
        assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80", endpointsOf("[{\"addresses\": [{\"ip\": \"10.0.0.1\"},"
                + " {\"ip\": \"10.0.0.2\"}, {\"ip\": \"10.0.0.3\"}], \"ports\": [{\"port\": 80}]}]"));
        assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...", endpointsOf("[{\"addresses\": ["
                + "{\"ip\": \"10.0.0.1\"}, {\"ip\": \"10.0.0.2\"}, {\"ip\": \"10.0.0.3\"}], \"ports\": [{\"port\": 80}]},"
                + " {\"addresses\": [{\"ip\": \"10.0.1.1\"}], \"ports\": [{\"port\": 80}]}]"));
    }

    @Test
    void endpointsCountEveryPortOfEveryAddress() {
        assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", endpointsOf("[{\"addresses\": ["
                + "{\"ip\": \"10.0.0.1\"}, {\"ip\": \"10.0.0.2\"}], \"ports\": [{\"port\": 80}, {\"port\": 443}]}]"));
    }

    @Test
    void endpointsWithoutPortsOrWithIpv6() {
        assertEquals("10.0.0.1,10.0.0.2", endpointsOf("[{\"addresses\": [{\"ip\": \"10.0.0.1\"}, {\"ip\": \"10.0.0.2\"}]}]"));
        assertEquals("[fd00::1]:8080", endpointsOf("[{\"addresses\": [{\"ip\": \"fd00::1\"}],"
                + " \"ports\": [{\"port\": 8080}]}]"));
        assertEquals("", endpointsOf("[{\"notReadyAddresses\": [{\"ip\": \"10.0.0.1\"}], \"ports\": [{\"port\": 80}]}]"));
    }

    @Test
    void endpointsRowHasNameEndpointsAndAge() {
        assertEquals(List.of("web", "<none>", "2d5h"), cells("Endpoints", "{" + METADATA + "}"));
    }

    private static String endpointsOf(String subsets) {
        return (String) cells("Endpoints", "{" + METADATA + ", \"subsets\": " + subsets + "}").get(1);
    }
}
