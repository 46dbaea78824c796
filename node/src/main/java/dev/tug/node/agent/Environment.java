package dev.tug.node.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A container's environment as Kubernetes builds it: {@code envFrom} first, then {@code env}
 * in order, each value able to refer to variables defined before it with {@code $(NAME)}, and
 * {@code valueFrom} read from ConfigMaps, Secrets and the pod itself, over the variables of the
 * Services the pod may see.
 */
final class Environment {

    /** A ConfigMap or Secret that a container needs and that does not exist (CreateContainerConfigError). */
    static final class MissingReference extends Exception {
        MissingReference(String message) {
            super(message);
        }
    }

    private final ReferencedObjects objects;
    private final Function<Pod, Map<String, String>> serviceVariables;

    /** @param serviceVariables the Service variables a pod's containers get (see ServiceEnvironment) */
    Environment(ReferencedObjects objects, Function<Pod, Map<String, String>> serviceVariables) {
        this.objects = objects;
        this.serviceVariables = serviceVariables;
    }

    Map<String, String> resolve(Pod pod, Container container, String podIp, String hostIp) throws MissingReference {
        String namespace = pod.getMetadata().getNamespace();
        // Service variables come first so that the container's own win, and $(NAME) can use them
        Map<String, String> env = new LinkedHashMap<>(serviceVariables.apply(pod));
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                Optional<ConfigMap> map = objects.configMap(namespace, from.getConfigMapRef().getName());
                if (map.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                    throw new MissingReference("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
                }
                map.ifPresent(m -> m.getData().forEach((k, v) -> env.put(prefix + k, v)));
            }
            if (from.getSecretRef() != null) {
                Optional<Secret> secret = objects.secret(namespace, from.getSecretRef().getName());
                if (secret.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                    throw new MissingReference("secret \"" + from.getSecretRef().getName() + "\" not found");
                }
                secret.ifPresent(s -> secretData(s).forEach((k, v) -> env.put(prefix + k, v)));
            }
        }
        for (EnvVar variable : container.getEnv()) {
            String value = variable.getValueFrom() == null
                    ? expand(variable.getValue() == null ? "" : variable.getValue(), env)
                    : valueFrom(pod, variable.getValueFrom(), podIp, hostIp);
            if (value != null) {
                env.put(variable.getName(), value);
            }
        }
        return env;
    }

    static Map<String, String> secretData(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    private String valueFrom(Pod pod, EnvVarSource source, String podIp, String hostIp) throws MissingReference {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            Optional<String> value = objects.configMap(namespace, ref.getName()).map(m -> m.getData().get(ref.getKey()));
            return required(value, ref.getOptional(), "configmap \"" + ref.getName() + "\"", ref.getKey());
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            Optional<String> value = objects.secret(namespace, ref.getName()).map(s -> secretData(s).get(ref.getKey()));
            return required(value, ref.getOptional(), "secret \"" + ref.getName() + "\"", ref.getKey());
        }
        if (source.getFieldRef() != null) {
            return field(pod, source.getFieldRef(), podIp, hostIp);
        }
        if (source.getResourceFieldRef() != null) {
            var ref = source.getResourceFieldRef();
            return ResourceFields.value(pod, ref);
        }
        return null;
    }

    private static String required(Optional<String> value, Boolean optional, String what, String key) throws MissingReference {
        if (value.isPresent()) {
            return value.get();
        }
        if (Boolean.TRUE.equals(optional)) {
            return null;
        }
        throw new MissingReference("couldn't find key " + key + " in " + what);
    }

    /** The downward API fields Kubernetes allows in env. */
    static String field(Pod pod, ObjectFieldSelector selector, String podIp, String hostIp) {
        String path = selector.getFieldPath();
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") || path.startsWith("metadata.annotations['")) {
            String key = path.substring(path.indexOf("['") + 2, path.length() - 2);
            Map<String, String> map = path.startsWith("metadata.labels") ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : map.getOrDefault(key, "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.podIPs" -> podIp;
            case "status.hostIP", "status.hostIPs" -> hostIp;
            default -> "";
        };
    }

    /**
     * Replaces {@code $(NAME)} with a defined variable, {@code $$} with {@code $}, and leaves
     * references to undefined variables as they are, as Kubernetes does.
     */
    static String expand(String text, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i++;
                    continue;
                }
                if (next == '(') {
                    int close = text.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = text.substring(i + 2, close);
                        if (env.containsKey(name)) {
                            out.append(env.get(name));
                            i = close;
                            continue;
                        }
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    static List<String> expandAll(List<String> values, Map<String, String> env) {
        List<String> expanded = new ArrayList<>();
        values.forEach(v -> expanded.add(expand(v, env)));
        return expanded;
    }
}
