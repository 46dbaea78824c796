package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's view of every Service and Endpoints object in the cluster, kept current by watches.
 * The service proxy, cluster DNS and service environment variables all read it; listeners hear
 * of every change so the proxy can follow endpoints within moments.
 */
public final class ServiceCatalog {

    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final Map<String, Endpoints> endpoints = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void putService(Service service) {
        services.put(key(service), service);
        changed();
    }

    public void removeService(Service service) {
        services.remove(key(service));
        changed();
    }

    public void putEndpoints(Endpoints object) {
        endpoints.put(key(object), object);
        changed();
    }

    public void removeEndpoints(Endpoints object) {
        endpoints.remove(key(object));
        changed();
    }

    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.get(namespace + "/" + name));
    }

    public Optional<Endpoints> endpoints(String namespace, String name) {
        return Optional.ofNullable(endpoints.get(namespace + "/" + name));
    }

    public Collection<Service> services() {
        return List.copyOf(services.values());
    }

    public List<Service> servicesIn(String namespace) {
        return services.values().stream().filter(s -> namespace.equals(s.getMetadata().getNamespace())).toList();
    }

    /** Called after every change, on the thread that made it. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }
}
