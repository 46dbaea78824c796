package dev.tug.controlplane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A pod's effective requests, as Kubernetes computes them, and the host ports it takes. */
final class Requests {

    private Requests() {
    }

    /** The larger of the containers' sum and the largest init container's request. */
    static BigDecimal of(JsonNode pod, String resource) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode container : pod.path("spec").path("containers")) {
            sum = sum.add(request(container, resource));
        }
        for (JsonNode init : pod.path("spec").path("initContainers")) {
            sum = sum.max(request(init, resource));
        }
        return sum;
    }

    private static BigDecimal request(JsonNode container, String resource) {
        return NodeFit.quantity(container.path("resources").path("requests").path(resource), BigDecimal.ZERO);
    }

    /** "protocol/ip/port" for every host port the pod asks for. */
    static List<String> hostPorts(JsonNode pod) {
        List<String> ports = new ArrayList<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                int hostPort = port.path("hostPort").asInt(0);
                if (hostPort > 0) {
                    ports.add(port.path("protocol").asText("TCP") + "/" + port.path("hostIP").asText("0.0.0.0") + "/" + hostPort);
                }
            }
        }
        return ports;
    }
}
