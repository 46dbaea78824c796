package dev.tug.node.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a pod's volumes as directories of the pod: emptyDir, ConfigMap and Secret files (with
 * {@code items} and modes), downward API and projected volumes, and hostPath as the host's own
 * path. The runtime then mounts them where the containers expect them.
 */
final class Volumes {

    private final ReferencedObjects objects;

    Volumes(ReferencedObjects objects) {
        this.objects = objects;
    }

    /** Volume name to host path; throws when a ConfigMap or Secret a volume needs is missing. */
    Map<String, Path> prepare(Pod pod, Path podDirectory, String podIp) throws Environment.MissingReference, IOException {
        Map<String, Path> paths = new HashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        for (Volume volume : pod.getSpec().getVolumes()) {
            Path directory = podDirectory.resolve("volumes").resolve(volume.getName());
            if (volume.getHostPath() != null) {
                Path host = Path.of(volume.getHostPath().getPath());
                String type = volume.getHostPath().getType();
                if ("DirectoryOrCreate".equals(type)) {
                    Files.createDirectories(host);
                } else if ("FileOrCreate".equals(type) && !Files.exists(host)) {
                    Files.createDirectories(host.getParent());
                    Files.createFile(host);
                }
                paths.put(volume.getName(), host);
                continue;
            }
            Files.createDirectories(directory);
            paths.put(volume.getName(), directory);
            if (volume.getConfigMap() != null) {
                var source = volume.getConfigMap();
                Optional<ConfigMap> map = objects.configMap(namespace, source.getName());
                if (map.isEmpty() && !Boolean.TRUE.equals(source.getOptional())) {
                    throw new Environment.MissingReference("configmap \"" + source.getName() + "\" not found");
                }
                if (map.isPresent()) {
                    writeKeys(directory, stringBytes(map.get().getData()), source.getItems(), source.getDefaultMode());
                }
            } else if (volume.getSecret() != null) {
                var source = volume.getSecret();
                Optional<Secret> secret = objects.secret(namespace, source.getSecretName());
                if (secret.isEmpty() && !Boolean.TRUE.equals(source.getOptional())) {
                    throw new Environment.MissingReference("secret \"" + source.getSecretName() + "\" not found");
                }
                if (secret.isPresent()) {
                    writeKeys(directory, stringBytes(Environment.secretData(secret.get())), source.getItems(),
                            source.getDefaultMode());
                }
            } else if (volume.getDownwardAPI() != null) {
                for (var item : volume.getDownwardAPI().getItems()) {
                    if (item.getFieldRef() != null) {
                        write(directory.resolve(item.getPath()), Environment.field(pod, item.getFieldRef(), podIp, null)
                                .getBytes(StandardCharsets.UTF_8), item.getMode());
                    }
                }
            } else if (volume.getProjected() != null) {
                for (VolumeProjection projection : volume.getProjected().getSources()) {
                    project(pod, directory, projection, podIp);
                }
            }
        }
        return paths;
    }

    private void project(Pod pod, Path directory, VolumeProjection projection, String podIp) throws IOException {
        String namespace = pod.getMetadata().getNamespace();
        if (projection.getConfigMap() != null) {
            objects.configMap(namespace, projection.getConfigMap().getName()).ifPresent(map -> uncheckedWrite(directory,
                    stringBytes(map.getData()), projection.getConfigMap().getItems()));
        }
        if (projection.getSecret() != null) {
            objects.secret(namespace, projection.getSecret().getName()).ifPresent(secret -> uncheckedWrite(directory,
                    stringBytes(Environment.secretData(secret)), projection.getSecret().getItems()));
        }
        if (projection.getDownwardAPI() != null) {
            for (var item : projection.getDownwardAPI().getItems()) {
                if (item.getFieldRef() != null) {
                    write(directory.resolve(item.getPath()),
                            Environment.field(pod, item.getFieldRef(), podIp, null).getBytes(StandardCharsets.UTF_8), item.getMode());
                }
            }
        }
    }

    private static void uncheckedWrite(Path directory, Map<String, byte[]> data, List<KeyToPath> items) {
        try {
            writeKeys(directory, data, items, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> stringBytes(Map<String, String> data) {
        Map<String, byte[]> bytes = new HashMap<>();
        if (data != null) {
            data.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return bytes;
    }

    /** Every key as a file, or only {@code items} under their paths, as Kubernetes projects them. */
    private static void writeKeys(Path directory, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode)
            throws IOException {
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, byte[]> entry : data.entrySet()) {
                write(directory.resolve(entry.getKey()), entry.getValue(), defaultMode);
            }
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value != null) {
                write(directory.resolve(item.getPath()), value, item.getMode() != null ? item.getMode() : defaultMode);
            }
        }
    }

    private static void write(Path file, byte[] content, Integer mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, permissions(mode == null ? 0644 : mode));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
