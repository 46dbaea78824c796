package dev.tug.node.agent;

import dev.tug.node.runtime.ContainerRuntime;
import dev.tug.node.runtime.PodIdentity;
import dev.tug.node.runtime.docker.DockerRuntime;
import dev.tug.node.runtime.process.ProcessRuntime;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    private final AgentConfig config;
    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final NodeStatusReporter reporter;
    private final AgentServer server;
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;
    private final AgentContext context;
    private SharedIndexInformer<Pod> informer;

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
        this.context = new AgentContext(client, runtime, new Prober(runtime), new Environment(objects),
                new Volumes(objects), events, config.nodeName(), config.address(), pods,
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

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws Exception {
        if (informer != null) {
            informer.close();
        }
        workers.values().forEach(PodWorker::detach);
        heartbeats.shutdownNow();
        server.close();
        runtime.close();
        client.close();
    }
}
