package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variables Kubernetes gives every container for the Services that existed when it
 * started: {@code NAME_SERVICE_HOST}/{@code _PORT} and the Docker-link style
 * {@code NAME_PORT_80_TCP...}. The {@code kubernetes} Service is in every namespace's set; the
 * namespace's own Services only when the pod keeps {@code enableServiceLinks}.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    public static Map<String, String> variables(ServiceCatalog catalog, String namespace, boolean serviceLinks) {
        Map<String, Service> byName = new TreeMap<>();
        if (serviceLinks) {
            catalog.servicesIn(namespace).forEach(s -> byName.put(s.getMetadata().getName(), s));
        }
        // the API server's Service reaches every pod, and a namespace's own "kubernetes" cannot hide it
        catalog.service("default", "kubernetes").ifPresent(s -> byName.put("kubernetes", s));
        Map<String, String> env = new LinkedHashMap<>();
        byName.values().stream().filter(ServiceEnvironment::hasClusterIp)
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .forEach(s -> add(s, env));
        return env;
    }

    private static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    private static void add(Service service, Map<String, String> env) {
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        List<ServicePort> ports = service.getSpec().getPorts();
        env.put(prefix + "_SERVICE_HOST", ip);
        if (ports.isEmpty()) {
            return;
        }
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            String url = protocol.toLowerCase(Locale.ROOT) + "://" + host + ":" + port.getPort();
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    private static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
