package dev.tug.node.agent;

import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.docker.DockerRuntime;
import dev.tug.node.runtime.process.ProcessRuntime;
import dev.tug.node.services.PodDns;
import dev.tug.node.services.ServiceCatalog;
import dev.tug.node.services.ServiceEnvironment;
import dev.tug.node.services.ServiceProxy;
import dev.tug.node.services.dns.ClusterDns;
import dev.tug.node.services.dns.DnsAnswers;
import dev.tug.node.services.dns.Upstream;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code tug agent}: registers the node, keeps its heartbeat, and runs the pods the scheduler
 * assigned to it, one {@link PodWorker} each. Stopping the agent leaves the pods running; the
 * next agent on this node adopts them.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** The Service tug server creates for cluster DNS; its cluster IP is where agents answer. */
    private static final String DNS_SERVICE = "kube-dns";

    private final AgentConfig config;
    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final NodeStatusReporter reporter;
    private final AgentServer server;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;
    private final AgentContext context;
    private final ServiceCatalog catalog = new ServiceCatalog();
    private final List<SharedIndexInformer<?>> serviceInformers = new ArrayList<>();
    private SharedIndexInformer<Pod> informer;
    private ServiceProxy proxy;
    private ClusterDns dns;
    /** Where this agent serves cluster DNS, once it does; pods point at it only then. */
    private volatile String servedDns;

    private Agent(AgentConfig config, KubernetesClient client, Function<NodeStatusReporter, ContainerRuntime> runtimes)
            throws Exception {
        this.config = config;
        this.client = client;
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        this.reporter = new NodeStatusReporter(client, config, config.runtime(), token);
        this.runtime = runtimes.apply(reporter);
        Path pods = Files.createDirectories(config.dataDirectory().resolve("pods"));
        EventSink events = new EventSink(client, config.nodeName());
        ReferencedObjects objects = new ReferencedObjects() {
            @Override
            public Optional<ConfigMap> configMap(String namespace, String name) {
                return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
            }

            @Override
            public Optional<Secret> secret(String namespace, String name) {
                return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
            }
        };
        Environment environment = new Environment(objects, pod -> ServiceEnvironment.variables(catalog,
                pod.getMetadata().getNamespace(), !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())));
        PodDns dns = new PodDns(() -> servedDns, config.clusterDomain(), Path.of("/etc/resolv.conf"));
        this.context = new AgentContext(client, runtime, new Prober(runtime), environment,
                new Volumes(objects), dns, events, config.nodeName(), config.address(), pods,
                config.backoffBase());
        this.server = new AgentServer(config.address(), config.port(), token, new AgentServer.Pods() {
            @Override
            public Optional<Path> directory(String namespace, String name) {
                return workers.values().stream()
                        .filter(w -> w.identity().namespace().equals(namespace) && w.identity().name().equals(name))
                        .map(w -> w.identity().directory()).findFirst();
            }

            @Override
            public boolean running(String namespace, String name, String container, int attempt) {
                return directory(namespace, name).map(dir -> runtime.find(identity(namespace, name, dir), null, container, attempt)
                        .map(c -> c.exit().isEmpty()).orElse(false)).orElse(false);
            }
        });
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static PodIdentity identity(String namespace, String name, Path directory) {
        return new PodIdentity(namespace, name, directory.getFileName().toString(), directory);
    }

    /** Connects, registers the node and starts running its pods. */
    public static Agent start(AgentConfig config) throws Exception {
        Config clientConfig = Config.fromKubeconfig(null, Files.readString(config.kubeconfig()), config.kubeconfig().toString());
        // the API server streams watches over plain HTTP, as kubectl uses them; no WebSocket attempt first
        clientConfig.setOnlyHttpWatches(true);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        Agent agent = new Agent(config, client, reporter -> runtime(config, reporter));
        try {
            agent.run();
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private static ContainerRuntime runtime(AgentConfig config, NodeStatusReporter reporter) {
        if (config.runtime().equals("process")) {
            return new ProcessRuntime(reporter::podCidr);
        }
        if (config.runtime().equals("docker")) {
            return new DockerRuntime(config.dockerHost(), config.sandboxImage(), config.containerUlimit());
        }
        throw new IllegalArgumentException("unknown runtime \"" + config.runtime() + "\": use process or docker");
    }

    private void run() {
        reporter.register(server.port());
        // Services first: containers started from here on see their variables and names
        serviceInformers.add(client.services().inAnyNamespace().inform(into(catalog::putService, catalog::removeService), 0));
        serviceInformers.add(client.endpoints().inAnyNamespace().inform(into(catalog::putEndpoints, catalog::removeEndpoints), 0));
        String dnsAddress = config.clusterDns() != null ? config.clusterDns()
                : catalog.service("kube-system", DNS_SERVICE).map(s -> s.getSpec().getClusterIP()).orElse(null);
        proxy = new ServiceProxy(catalog, config.address(), dnsAddress == null ? Set.of() : Set.of(dnsAddress));
        proxy.start();
        startDns(dnsAddress);
        long beat = config.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(reporter::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        observe(pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        observe(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        PodWorker worker = workers.remove(pod.getMetadata().getUid());
                        if (worker != null) {
                            worker.gone();
                        }
                    }
                }, 0);
        removeForeignPods();
        LOG.info("node {} is up at {}:{} with the {} runtime", config.nodeName(), config.address(), server.port(), runtime.name());
    }

    private void observe(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodWorker existing = workers.get(uid);
        if (existing != null) {
            existing.update(pod);
            return;
        }
        PodWorker worker = new PodWorker(context, pod);
        workers.put(uid, worker);
        Thread thread = new Thread(() -> {
            try {
                worker.run();
            } finally {
                workers.remove(uid, worker);
            }
        }, "pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Pod directories of pods no longer assigned here (deleted while no agent ran): stop and remove them. */
    private void removeForeignPods() {
        Set<String> assigned = informer.getStore().list().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        try (Stream<Path> directories = Files.list(context.podsDirectory())) {
            directories.filter(d -> !assigned.contains(d.getFileName().toString())).forEach(directory -> {
                LOG.info("removing pod {} that is no longer assigned to this node", directory.getFileName());
                PodIdentity identity = identity("", "", directory);
                runtime.removeSandbox(identity, null);
                PodWorker.deleteDirectory(directory);
            });
        } catch (IOException e) {
            LOG.warn("cannot scan {}: {}", context.podsDirectory(), e.getMessage());
        }
    }

    private void startDns(String address) {
        if (address == null) {
            LOG.warn("no cluster DNS: kube-system/{} has no cluster IP and --cluster-dns is not set", DNS_SERVICE);
            return;
        }
        InetSocketAddress at = new InetSocketAddress(address, config.clusterDnsPort());
        try {
            // a host pointed at the cluster DNS must not make it ask itself
            dns = ClusterDns.start(at, new DnsAnswers(catalog, config.clusterDomain(),
                    Upstream.fromResolvConf().excluding(address)));
            // resolv.conf cannot name a port: pods are pointed at the cluster DNS only on 53
            servedDns = config.clusterDnsPort() == 53 ? address : null;
            LOG.info("cluster DNS for {} on {}", config.clusterDomain(), at);
        } catch (Exception e) { // the bind's SocketException arrives unchecked through Netty
            LOG.warn("cannot serve cluster DNS on {}: {}; pods keep the host's resolver (port 53 needs root or"
                    + " CAP_NET_BIND_SERVICE)", at, e.getMessage());
        }
    }

    private static <T> ResourceEventHandler<T> into(Consumer<T> put, Consumer<T> remove) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                put.accept(object);
            }

            @Override
            public void onUpdate(T before, T object) {
                put.accept(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                remove.accept(object);
            }
        };
    }

    public int port() {
        return server.port();
    }

    /** Where this agent answers cluster DNS, when it does. */
    public Optional<InetSocketAddress> clusterDns() {
        return Optional.ofNullable(dns).map(ClusterDns::address);
    }

    /** Whether pods get the cluster DNS in their resolv.conf (DNS on port 53, and a runtime that can). */
    public boolean podsUseClusterDns() {
        return servedDns != null && runtime.usesClusterDns();
    }

    @Override
    public void close() throws Exception {
        if (informer != null) {
            informer.close();
        }
        serviceInformers.forEach(SharedIndexInformer::close);
        if (proxy != null) {
            proxy.close();
        }
        if (dns != null) {
            dns.close();
        }
        workers.values().forEach(PodWorker::detach);
        heartbeats.shutdownNow();
        server.close();
        runtime.close();
        client.close();
    }
}
