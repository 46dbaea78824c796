package dev.tug.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** {@code resourceFieldRef}: a container's requests or limits as a whole number of the divisor, rounded up. */
final class ResourceFields {

    private ResourceFields() {
    }

    static String value(Pod pod, ResourceFieldSelector ref) {
        Container container = pod.getSpec().getContainers().stream()
                .filter(c -> ref.getContainerName() == null || ref.getContainerName().equals(c.getName()))
                .findFirst().orElse(null);
        if (container == null || container.getResources() == null) {
            return "0";
        }
        String[] parts = ref.getResource().split("\\.", 2);
        var map = parts[0].equals("limits") ? container.getResources().getLimits() : container.getResources().getRequests();
        Quantity quantity = map == null ? null : map.get(parts[1]);
        if (quantity == null) {
            return "0";
        }
        BigDecimal amount = quantity.getNumericalAmount();
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : ref.getDivisor().getNumericalAmount();
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }
}
