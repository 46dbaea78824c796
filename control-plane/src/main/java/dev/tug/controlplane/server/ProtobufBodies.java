package dev.tug.controlplane.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;

/** Request bodies in Kubernetes' protobuf encoding (kubectl's typed clients): not decoded yet. */
final class ProtobufBodies {

    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

    private ProtobufBodies() {
    }

    static ObjectNode decode(byte[] body) {
        throw ApiException.of(415, "UnsupportedMediaType",
                "protobuf request bodies are not supported yet; use kubectl apply -f or create -f");
    }
}
