package dev.tug.node.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.Optional;

/** The ConfigMaps and Secrets a pod's env and volumes refer to, as the API server has them now. */
interface ReferencedObjects {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
}
