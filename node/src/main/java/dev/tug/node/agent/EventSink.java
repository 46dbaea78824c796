package dev.tug.node.agent;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events the agent reports about pods and its node, as the kubelet does ({@code kubectl describe}
 * shows them). A repeated event for one object is counted on the first one.
 */
final class EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Map<String, String> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 2048;
        }
    };

    EventSink(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    synchronized void record(HasMetadata object, String type, String reason, String message) {
        String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
        String identity = object.getMetadata().getUid() + "\u0000" + reason + "\u0000" + message;
        String now = Instant.now().toString();
        try {
            String existing = recent.get(identity);
            if (existing != null && counted(namespace, existing, now)) {
                return;
            }
            String name = object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime());
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                    .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                    .withUid(object.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                    .withReportingComponent("kubelet").withReportingInstance(nodeName)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
            recent.put(identity, name);
        } catch (KubernetesClientException e) {
            LOG.debug("event {} dropped: {}", reason, e.getMessage());
        }
    }

    /** One more occurrence on an existing event; false when it is gone (deleted, expired). */
    private boolean counted(String namespace, String name, String now) {
        try {
            client.v1().events().inNamespace(namespace).withName(name).edit(event -> {
                event.setCount(event.getCount() == null ? 2 : event.getCount() + 1);
                event.setLastTimestamp(now);
                return event;
            });
            return true;
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
