package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for PodSpecs (in Pods and in every pod template) and for Pods themselves, updates included. */
final class PodValidation {

    static final String NEGATIVE = "must be greater than or equal to 0";
    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");

    static final String UPDATABLE_FIELDS = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final int MAX_FILE_MODE = 0777;

    private PodValidation() {
    }

    static void pod(Pod pod, Pod old, List<FieldError> errors) {
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        spec(spec, "spec", errors);
        // templates tolerate a blank image (some tools fill it later); a pod about to run does not
        imagesWithoutWhitespace(Fill.list(spec.getInitContainers()), "spec.initContainers", errors);
        imagesWithoutWhitespace(Fill.list(spec.getContainers()), "spec.containers", errors);
        if (old != null) {
            update(spec, old.getSpec() == null ? new PodSpec() : old.getSpec(), errors);
        }
    }

    /** A workload's pod template: its labels, annotations and spec. */
    static void template(PodTemplateSpec template, String path, List<FieldError> errors) {
        ObjectMeta meta = template == null || template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Metadata.labels(meta.getLabels(), path + ".labels", errors);
        Metadata.annotations(meta.getAnnotations(), path + ".annotations", errors);
        spec(template == null || template.getSpec() == null ? new PodSpec() : template.getSpec(), path + ".spec", errors);
    }

    static void spec(PodSpec spec, String path, List<FieldError> errors) {
        Set<String> volumes = volumes(Fill.list(spec.getVolumes()), path + ".volumes", errors);
        List<Container> containers = Fill.list(spec.getContainers());
        List<Container> initContainers = Fill.list(spec.getInitContainers());
        if (containers.isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerValidation.container(containers.get(i), path + ".containers[" + i + "]", false, names, volumes, errors);
        }
        for (int i = 0; i < initContainers.size(); i++) {
            ContainerValidation.container(initContainers.get(i), path + ".initContainers[" + i + "]", true, names, volumes, errors);
        }
        hostPortsUnique(containers, path + ".containers", errors);
        oneOf(spec.getRestartPolicy(), RESTART_POLICIES, path + ".restartPolicy", errors);
        oneOf(spec.getDnsPolicy(), DNS_POLICIES, path + ".dnsPolicy", errors);
        if ("None".equals(spec.getDnsPolicy()) && spec.getDnsConfig() == null) {
            errors.add(FieldError.required(path + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));
        }
        Metadata.labels(spec.getNodeSelector(), path + ".nodeSelector", errors);
        Names.optional(spec.getServiceAccountName(), Names::dns1123Subdomain, path + ".serviceAccountName", errors);
        Names.optional(spec.getNodeName(), Names::dns1123Subdomain, path + ".nodeName", errors);
        Names.optional(spec.getHostname(), Names::dns1123Label, path + ".hostname", errors);
        Names.optional(spec.getSubdomain(), Names::dns1123Label, path + ".subdomain", errors);
        Long deadline = spec.getActiveDeadlineSeconds();
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errors.add(FieldError.invalid(path + ".activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive"));
        }
        Taints.tolerations(Fill.list(spec.getTolerations()), path + ".tolerations", errors);
    }

    /** Required (defaulting sets it) and one of the listed values. */
    static void oneOf(String value, List<String> supported, String path, List<FieldError> errors) {
        if (Fill.isAbsent(value)) {
            errors.add(FieldError.required(path, ""));
        } else if (!supported.contains(value)) {
            errors.add(FieldError.notSupported(path, value, supported));
        }
    }

    static void nonNegative(Number value, String path, List<FieldError> errors) {
        if (value != null && value.longValue() < 0) {
            errors.add(FieldError.invalid(path, value, NEGATIVE));
        }
    }

    /** A path inside a volume: relative and never climbing out of it. */
    static void relativePath(String value, String path, List<FieldError> errors) {
        if (value.startsWith("/")) {
            errors.add(FieldError.invalid(path, value, "must be a relative path"));
        }
        if (List.of(value.split("/")).contains("..")) {
            errors.add(FieldError.invalid(path, value, "must not contain '..'"));
        }
    }

    private static Set<String> volumes(List<Volume> volumes, String path, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            Volume volume = volumes.get(i);
            String at = path + "[" + i + "]";
            List<String> sources = VolumeSources.present(volume);
            if (sources.isEmpty()) {
                errors.add(FieldError.required(at, "must specify a volume type"));
            } else if (sources.size() > 1) {
                errors.add(FieldError.forbidden(at + "." + sources.get(1), "may not specify more than 1 volume type"));
            }
            String name = Names.required(volume.getName(), Names::dns1123Label, at + ".name", errors);
            if (!names.add(name)) {
                errors.add(FieldError.duplicate(at + ".name", name));
            }
            volumeSource(volume, at, errors);
        }
        return names;
    }

    private static void volumeSource(Volume volume, String path, List<FieldError> errors) {
        if (volume.getConfigMap() != null) {
            requiredName(volume.getConfigMap().getName(), path + ".configMap.name", errors);
            files(volume.getConfigMap().getDefaultMode(), Fill.list(volume.getConfigMap().getItems()), path + ".configMap", errors);
        }
        if (volume.getSecret() != null) {
            requiredName(volume.getSecret().getSecretName(), path + ".secret.secretName", errors);
            files(volume.getSecret().getDefaultMode(), Fill.list(volume.getSecret().getItems()), path + ".secret", errors);
        }
        if (volume.getPersistentVolumeClaim() != null) {
            requiredName(volume.getPersistentVolumeClaim().getClaimName(), path + ".persistentVolumeClaim.claimName", errors);
        }
        if (volume.getHostPath() != null && Fill.isAbsent(volume.getHostPath().getPath())) {
            errors.add(FieldError.required(path + ".hostPath.path", ""));
        }
    }

    private static void requiredName(String name, String path, List<FieldError> errors) {
        if (Fill.isAbsent(name)) {
            errors.add(FieldError.required(path, ""));
        }
    }

    /** The files a configMap or secret volume projects: modes and relative paths. */
    private static void files(Integer defaultMode, List<KeyToPath> items, String path, List<FieldError> errors) {
        fileMode(defaultMode, path + ".defaultMode", errors);
        for (int i = 0; i < items.size(); i++) {
            KeyToPath item = items.get(i);
            String at = path + ".items[" + i + "]";
            requiredName(item.getKey(), at + ".key", errors);
            if (Fill.isAbsent(item.getPath())) {
                errors.add(FieldError.required(at + ".path", ""));
            } else {
                relativePath(item.getPath(), at + ".path", errors);
            }
            fileMode(item.getMode(), at + ".mode", errors);
        }
    }

    private static void fileMode(Integer mode, String path, List<FieldError> errors) {
        if (mode != null && (mode < 0 || mode > MAX_FILE_MODE)) {
            errors.add(FieldError.invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive"));
        }
    }

    /** Two containers cannot both bind one port of the node. */
    private static void hostPortsUnique(List<Container> containers, String path, List<FieldError> errors) {
        Set<String> used = new HashSet<>();
        for (int c = 0; c < containers.size(); c++) {
            List<ContainerPort> ports = Fill.list(containers.get(c).getPorts());
            for (int p = 0; p < ports.size(); p++) {
                ContainerPort port = ports.get(p);
                if (port.getHostPort() == null || port.getHostPort() == 0) {
                    continue;
                }
                String key = port.getProtocol() + "/" + Metadata.nullToEmpty(port.getHostIP()) + "/" + port.getHostPort();
                if (!used.add(key)) {
                    errors.add(FieldError.duplicate(path + "[" + c + "].ports[" + p + "].hostPort", key));
                }
            }
        }
    }

    private static void imagesWithoutWhitespace(List<Container> containers, String path, List<FieldError> errors) {
        for (int i = 0; i < containers.size(); i++) {
            String image = containers.get(i).getImage();
            if (image != null && !image.equals(image.strip())) {
                errors.add(FieldError.invalid(path + "[" + i + "].image", image, "must not have leading or trailing whitespace"));
            }
        }
    }

    /**
     * A running pod's spec is fixed but for images, the deadline, added tolerations and the grace
     * period: compare the specs with those taken from the old one.
     */
    private static void update(PodSpec spec, PodSpec old, List<FieldError> errors) {
        activeDeadlineUpdate(spec.getActiveDeadlineSeconds(), old.getActiveDeadlineSeconds(), errors);
        PodSpec comparable = Serialized.copy(spec, PodSpec.class);
        keepImages(comparable.getContainers(), Fill.list(old.getContainers()));
        keepImages(comparable.getInitContainers(), Fill.list(old.getInitContainers()));
        comparable.setActiveDeadlineSeconds(old.getActiveDeadlineSeconds());
        comparable.setTerminationGracePeriodSeconds(old.getTerminationGracePeriodSeconds());
        if (comparable.getTolerations().containsAll(Fill.list(old.getTolerations()))) {
            comparable.setTolerations(old.getTolerations());
        }
        // scheduling gates can only be removed
        if (Fill.list(old.getSchedulingGates()).containsAll(comparable.getSchedulingGates())) {
            comparable.setSchedulingGates(old.getSchedulingGates());
        }
        if (!Serialized.same(comparable, old)) {
            errors.add(FieldError.forbidden("spec", UPDATABLE_FIELDS));
        }
    }

    private static void keepImages(List<Container> containers, List<Container> old) {
        for (int i = 0; i < Math.min(containers.size(), old.size()); i++) {
            containers.get(i).setImage(old.get(i).getImage());
        }
    }

    private static void activeDeadlineUpdate(Long deadline, Long old, List<FieldError> errors) {
        String path = "spec.activeDeadlineSeconds";
        if (deadline == null && old != null) {
            errors.add(FieldError.invalid(path, null, "must not update from a positive integer to nil value"));
        } else if (deadline != null && old != null && deadline > old) {
            errors.add(FieldError.invalid(path, deadline, "must be less than or equal to previous value"));
        }
    }
}
