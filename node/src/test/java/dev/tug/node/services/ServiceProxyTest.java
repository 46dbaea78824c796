package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service proxy between real sockets on loopback: backends that answer with their own name.
 * Service ports are 1024 and up, so the test needs no root.
 */
class ServiceProxyTest {

    static final String CLUSTER_IP = "127.96.250.7";
    static final String NODE = "127.0.0.41";

    final ServiceCatalog catalog = new ServiceCatalog();
    final List<AutoCloseable> backends = new ArrayList<>();
    ServiceProxy proxy;

    @BeforeEach
    void start() {
        proxy = new ServiceProxy(catalog, NODE, Set.of("127.96.250.10"));
        proxy.start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        for (AutoCloseable backend : backends) {
            backend.close();
        }
    }

    /** A TCP server on {@code ip} that writes {@code name} to every connection and closes it. */
    int tcpBackend(String ip, String name) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(ip, 0));
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        backends.add(server);
        return server.getLocalPort();
    }

    int udpBackend(String ip, String name) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ip, 0));
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    byte[] reply = (name + ":" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        backends.add(socket);
        return socket.getLocalPort();
    }

    Service service(String type, int port, Integer nodePort, String protocol) {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withType(type).withClusterIP(CLUSTER_IP)
                .addNewPort().withName("http").withProtocol(protocol).withPort(port).withNodePort(nodePort).endPort()
                .endSpec().build();
    }

    Endpoints endpoints(String protocol, int port, String... ips) {
        EndpointsBuilder builder = new EndpointsBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata();
        var subset = builder.addNewSubset();
        for (String ip : ips) {
            subset.addNewAddress().withIp(ip).endAddress();
        }
        return subset.addNewPort().withName("http").withProtocol(protocol).withPort(port).endPort().endSubset().build();
    }

    static String read(String ip, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 1000);
            socket.setSoTimeout(2000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void connectionsRoundRobinOverReadyEndpointsAndFollowChanges() throws Exception {
        int port = tcpBackend("127.128.250.2", "a");
        int portB = tcpBackend("127.128.250.3", "b");
        catalog.putService(service("NodePort", 8080, 30999, "TCP"));
        catalog.putEndpoints(endpoints("TCP", port, "127.128.250.2"));
        await("the cluster IP answers", () -> read(CLUSTER_IP, 8080).equals("a"));
        assertEquals("a", read(NODE, 30999), "and the node port");

        // b listens on another port: a second subset
        catalog.putEndpoints(new EndpointsBuilder(endpoints("TCP", port, "127.128.250.2")).addNewSubset()
                .addNewAddress().withIp("127.128.250.3").endAddress()
                .addNewPort().withName("http").withProtocol("TCP").withPort(portB).endPort().endSubset().build());
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(read(CLUSTER_IP, 8080));
        }
        assertEquals(Set.of("a", "b"), seen, "round robin over both, at once after the change");

        catalog.putEndpoints(endpoints("TCP", port));
        assertEquals("", read(CLUSTER_IP, 8080), "no endpoints: the connection is refused at once");
        catalog.removeService(service("NodePort", 8080, 30999, "TCP"));
        await("the listener closes with the Service", () -> !proxy.listening().contains(CLUSTER_IP + ":8080/TCP"));
    }

    @Test
    void aBackendThatRefusesIsSkipped() throws Exception {
        int port = tcpBackend("127.128.250.5", "alive");
        catalog.putService(service("ClusterIP", 8081, null, "TCP"));
        // 127.128.250.6 has nothing listening on that port
        catalog.putEndpoints(endpoints("TCP", port, "127.128.250.5", "127.128.250.6"));
        await("listening", () -> proxy.listening().contains(CLUSTER_IP + ":8081/TCP"));
        for (int i = 0; i < 4; i++) {
            assertEquals("alive", read(CLUSTER_IP, 8081));
        }
    }

    @Test
    void udpDatagramsReachABackendAndRepliesComeBack() throws Exception {
        int port = udpBackend("127.128.250.8", "u");
        catalog.putService(service("ClusterIP", 5353, null, "UDP"));
        catalog.putEndpoints(endpoints("UDP", port, "127.128.250.8"));
        await("listening", () -> proxy.listening().contains(CLUSTER_IP + ":5353/UDP"));
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(500);
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            String reply = "";
            for (int i = 0; i < 10 && reply.isEmpty(); i++) {
                client.send(new DatagramPacket(ping, ping.length, InetAddress.getByName(CLUSTER_IP), 5353));
                try {
                    DatagramPacket packet = new DatagramPacket(new byte[512], 512);
                    client.receive(packet);
                    reply = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    assertEquals(new InetSocketAddress(CLUSTER_IP, 5353), packet.getSocketAddress(), "answered from the service address");
                } catch (SocketTimeoutException e) {
                    // the listener may still be binding
                }
            }
            assertEquals("u:ping", reply);
        }
    }

    @Test
    void theClusterDnsAddressIsLeftToTheDnsServer() throws Exception {
        catalog.putService(new ServiceBuilder().withNewMetadata().withName("kube-dns").withNamespace("kube-system").endMetadata()
                .withNewSpec().withClusterIP("127.96.250.10").addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .endSpec().build());
        catalog.putService(service("ClusterIP", 8082, null, "TCP"));
        await("listening", () -> proxy.listening().contains(CLUSTER_IP + ":8082/TCP"));
        assertTrue(proxy.listening().stream().noneMatch(f -> f.startsWith("127.96.250.10:")), proxy.listening().toString());
    }

    @Test
    void anAddressSomeoneElseHoldsDoesNotStopTheOtherListeners() throws Exception {
        // a socket without SO_REUSEPORT keeps its port to itself; the bind fails with a checked exception
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(CLUSTER_IP, 0));
            int held = squatter.getLocalPort();
            var spec = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                    .withNewSpec().withType("ClusterIP").withClusterIP(CLUSTER_IP)
                    .addNewPort().withName("held").withProtocol("TCP").withPort(held).endPort();
            // several other ports, so some come after the refused one whatever order they are opened in
            for (int port = 8086; port < 8096; port++) {
                spec.addNewPort().withName("free-" + port).withProtocol("TCP").withPort(port).endPort();
            }
            catalog.putService(spec.endSpec().build());
            await("the free ports served", () -> proxy.listening().size() == 10);
            assertTrue(!proxy.listening().contains(CLUSTER_IP + ":" + held + "/TCP"), proxy.listening().toString());
        }
    }
}
