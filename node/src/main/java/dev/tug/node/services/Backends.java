package dev.tug.node.services;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one port of one Service leads right now: the ready addresses of its Endpoints with the
 * port of the same name (and protocol). Read from the catalog per connection, so an endpoint
 * change applies to the very next connection.
 */
record Backends(String namespace, String service, String portName, String protocol) {

    List<InetSocketAddress> current(ServiceCatalog catalog) {
        Endpoints endpoints = catalog.endpoints(namespace, service).orElse(null);
        if (endpoints == null) {
            return List.of();
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        for (EndpointSubset subset : endpoints.getSubsets()) {
            EndpointPort port = subset.getPorts().stream()
                    .filter(p -> Objects.requireNonNullElse(p.getName(), "").equals(portName)
                            && Objects.requireNonNullElse(p.getProtocol(), "TCP").equals(protocol))
                    .findFirst().orElse(null);
            if (port == null) {
                continue;
            }
            for (EndpointAddress address : subset.getAddresses()) {
                targets.add(new InetSocketAddress(address.getIp(), port.getPort()));
            }
        }
        return targets;
    }
}
