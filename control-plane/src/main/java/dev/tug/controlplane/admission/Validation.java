package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validation rules kubectl users meet most, with Kubernetes' field paths and texts: names,
 * labels, pod specs, selectors that must match their templates, immutable fields on update.
 */
public final class Validation {

    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

    private final List<FieldError> errors = new ArrayList<>();

    private Validation() {
    }

    /** Every problem of {@code object}; {@code old} is the stored object on update, null on create. */
    public static List<FieldError> validate(HasMetadata object, HasMetadata old) {
        Validation v = new Validation();
        v.metadata(object);
        if (object instanceof Pod pod) {
            v.podSpec("spec", pod.getSpec(), RESTART_POLICIES);
        } else if (object instanceof Deployment d && d.getSpec() != null) {
            v.replicated("spec", d.getSpec().getReplicas(), d.getSpec().getSelector(), d.getSpec().getTemplate());
            var strategy = d.getSpec().getStrategy();
            if (strategy != null && strategy.getType() != null) {
                if (!List.of("RollingUpdate", "Recreate").contains(strategy.getType())) {
                    v.errors.add(FieldError.notSupported("spec.strategy.type", strategy.getType(), List.of("Recreate", "RollingUpdate")));
                } else if (strategy.getType().equals("Recreate") && strategy.getRollingUpdate() != null) {
                    v.errors.add(new FieldError("spec.strategy.rollingUpdate", FieldError.Reason.FieldValueForbidden,
                            "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            v.immutableSelector(d.getSpec().getSelector(), old instanceof Deployment o ? o.getSpec().getSelector() : null, old);
        } else if (object instanceof ReplicaSet rs && rs.getSpec() != null) {
            v.replicated("spec", rs.getSpec().getReplicas(), rs.getSpec().getSelector(), rs.getSpec().getTemplate());
        } else if (object instanceof DaemonSet ds && ds.getSpec() != null) {
            v.replicated("spec", null, ds.getSpec().getSelector(), ds.getSpec().getTemplate());
            v.immutableSelector(ds.getSpec().getSelector(), old instanceof DaemonSet o ? o.getSpec().getSelector() : null, old);
        } else if (object instanceof ReplicationController rc && rc.getSpec() != null) {
            Map<String, String> selector = rc.getSpec().getSelector();
            v.replicated("spec", rc.getSpec().getReplicas(), selector == null ? null : new LabelSelector(null, selector),
                    rc.getSpec().getTemplate());
        } else if (object instanceof Job job && job.getSpec() != null) {
            v.job("spec", job.getSpec());
            if (old instanceof Job o && !Objects.equals(o.getSpec().getSelector(), job.getSpec().getSelector())) {
                v.errors.add(FieldError.invalid("spec.selector", String.valueOf(job.getSpec().getSelector()), "field is immutable"));
            }
        } else if (object instanceof CronJob cronJob && cronJob.getSpec() != null) {
            v.cronJob(cronJob);
        } else if (object instanceof Service service) {
            v.service(service, old instanceof Service o ? o : null);
        } else if (object instanceof ConfigMap cm) {
            v.keys("data", cm.getData());
            v.keys("binaryData", cm.getBinaryData());
            v.immutableData(cm.getImmutable(), cm.getData(), old instanceof ConfigMap o ? o.getImmutable() : null,
                    old instanceof ConfigMap o ? o.getData() : null);
        } else if (object instanceof Secret secret) {
            v.keys("data", secret.getData());
            v.immutableData(secret.getImmutable(), secret.getData(), old instanceof Secret o ? o.getImmutable() : null,
                    old instanceof Secret o ? o.getData() : null);
        }
        return v.errors;
    }

    private void metadata(HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        String name = meta == null ? null : meta.getName();
        if (name == null || name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
            return;
        }
        boolean label = object instanceof Namespace || object instanceof Service;
        String problem = label ? Names.dnsLabelProblem(name) : Names.dnsSubdomainProblem(name);
        if (problem != null) {
            errors.add(FieldError.invalid("metadata.name", name, problem));
        }
        labels("metadata.labels", meta.getLabels());
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().keySet().forEach(key -> {
                String keyProblem = Names.qualifiedNameProblem(key.toLowerCase());
                if (keyProblem != null) {
                    errors.add(FieldError.invalid("metadata.annotations", key, keyProblem));
                }
            });
        }
    }

    private void labels(String field, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String keyProblem = Names.qualifiedNameProblem(key);
            if (keyProblem != null) {
                errors.add(FieldError.invalid(field, key, keyProblem));
            }
            String valueProblem = value == null ? null : Names.labelValueProblem(value);
            if (valueProblem != null) {
                errors.add(FieldError.invalid(field, value, valueProblem));
            }
        });
    }

    /** Deployments, ReplicaSets, DaemonSets, ReplicationControllers: a selector that selects the template. */
    private void replicated(String path, Integer replicas, LabelSelector selector, PodTemplateSpec template) {
        if (replicas != null && replicas < 0) {
            errors.add(FieldError.invalid(path + ".replicas", replicas, "must be greater than or equal to 0"));
        }
        boolean emptySelector = selector == null
                || (selector.getMatchLabels().isEmpty() && selector.getMatchExpressions().isEmpty());
        if (emptySelector) {
            errors.add(FieldError.required(path + ".selector", ""));
        }
        if (template == null) {
            errors.add(FieldError.required(path + ".template", ""));
            return;
        }
        Map<String, String> labels = template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels();
        labels(path + ".template.metadata.labels", labels);
        if (!emptySelector && !selects(selector, labels)) {
            errors.add(FieldError.invalid(path + ".template.metadata.labels", labels.toString(),
                    "`selector` does not match template `labels`"));
        }
        podSpec(path + ".template.spec", template.getSpec(), List.of("Always"));
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (var expression : selector.getMatchExpressions()) {
            String value = labels.get(expression.getKey());
            boolean ok = switch (String.valueOf(expression.getOperator())) {
                case "In" -> value != null && expression.getValues().contains(value);
                case "NotIn" -> value == null || !expression.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void immutableSelector(LabelSelector selector, LabelSelector oldSelector, HasMetadata old) {
        if (old != null && !Objects.equals(selector, oldSelector)) {
            errors.add(FieldError.invalid("spec.selector", String.valueOf(selector), "field is immutable"));
        }
    }

    private void podSpec(String path, PodSpec spec, List<String> allowedRestartPolicies) {
        if (spec == null) {
            errors.add(FieldError.required(path, ""));
            return;
        }
        if (spec.getContainers().isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
        }
        if (spec.getRestartPolicy() != null && !allowedRestartPolicies.contains(spec.getRestartPolicy())) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", spec.getRestartPolicy(), allowedRestartPolicies));
        }
        Set<String> volumes = new HashSet<>();
        for (int i = 0; i < spec.getVolumes().size(); i++) {
            String name = spec.getVolumes().get(i).getName();
            if (name == null || name.isEmpty()) {
                errors.add(FieldError.required(path + ".volumes[" + i + "].name", ""));
            } else if (!volumes.add(name)) {
                errors.add(FieldError.duplicate(path + ".volumes[" + i + "].name", name));
            }
        }
        Set<String> names = new HashSet<>();
        containers(path + ".initContainers", spec.getInitContainers(), names, volumes);
        containers(path + ".containers", spec.getContainers(), names, volumes);
    }

    private void containers(String path, List<Container> containers, Set<String> names, Set<String> volumes) {
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = path + "[" + i + "]";
            if (c.getName() == null || c.getName().isEmpty()) {
                errors.add(FieldError.required(at + ".name", ""));
            } else if (Names.dnsLabelProblem(c.getName()) != null) {
                errors.add(FieldError.invalid(at + ".name", c.getName(), Names.dnsLabelProblem(c.getName())));
            } else if (!names.add(c.getName())) {
                errors.add(FieldError.duplicate(at + ".name", c.getName()));
            }
            if (c.getImage() == null || c.getImage().isBlank()) {
                errors.add(FieldError.required(at + ".image", ""));
            }
            Set<String> portNames = new HashSet<>();
            for (int p = 0; p < c.getPorts().size(); p++) {
                ContainerPort port = c.getPorts().get(p);
                port(at + ".ports[" + p + "].containerPort", port.getContainerPort(), true);
                if (port.getHostPort() != null && port.getHostPort() != 0) {
                    port(at + ".ports[" + p + "].hostPort", port.getHostPort(), true);
                }
                protocol(at + ".ports[" + p + "].protocol", port.getProtocol());
                if (port.getName() != null && !port.getName().isEmpty() && !portNames.add(port.getName())) {
                    errors.add(FieldError.duplicate(at + ".ports[" + p + "].name", port.getName()));
                }
            }
            for (int e = 0; e < c.getEnv().size(); e++) {
                EnvVar env = c.getEnv().get(e);
                if (env.getName() == null || env.getName().isEmpty()) {
                    errors.add(FieldError.required(at + ".env[" + e + "].name", ""));
                } else if (Names.envNameProblem(env.getName()) != null) {
                    errors.add(FieldError.invalid(at + ".env[" + e + "].name", env.getName(), Names.envNameProblem(env.getName())));
                }
            }
            for (int m = 0; m < c.getVolumeMounts().size(); m++) {
                VolumeMount mount = c.getVolumeMounts().get(m);
                if (!volumes.contains(mount.getName())) {
                    errors.add(new FieldError(at + ".volumeMounts[" + m + "].name",
                            FieldError.Reason.FieldValueNotFound, "\"" + mount.getName() + "\""));
                }
                if (mount.getMountPath() == null || mount.getMountPath().isEmpty()) {
                    errors.add(FieldError.required(at + ".volumeMounts[" + m + "].mountPath", ""));
                }
            }
        }
    }

    private void port(String field, Integer port, boolean required) {
        if (port == null) {
            if (required) {
                errors.add(FieldError.required(field, ""));
            }
        } else if (port < 1 || port > 65535) {
            errors.add(FieldError.invalid(field, port, "must be between 1 and 65535, inclusive"));
        }
    }

    private void protocol(String field, String protocol) {
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            errors.add(FieldError.notSupported(field, protocol, PROTOCOLS));
        }
    }

    private void job(String path, io.fabric8.kubernetes.api.model.batch.v1.JobSpec spec) {
        for (var entry : Map.of("parallelism", nz(spec.getParallelism()), "completions", nz(spec.getCompletions()),
                "backoffLimit", nz(spec.getBackoffLimit())).entrySet()) {
            if (entry.getValue() < 0) {
                errors.add(FieldError.invalid(path + "." + entry.getKey(), entry.getValue(), "must be greater than or equal to 0"));
            }
        }
        if (spec.getTemplate() == null) {
            errors.add(FieldError.required(path + ".template", ""));
            return;
        }
        PodSpec pod = spec.getTemplate().getSpec();
        if (pod != null && pod.getRestartPolicy() == null) {
            errors.add(FieldError.required(path + ".template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""));
        }
        podSpec(path + ".template.spec", pod, List.of("OnFailure", "Never"));
    }

    private void cronJob(CronJob cronJob) {
        var spec = cronJob.getSpec();
        String schedule = spec.getSchedule();
        if (schedule == null || schedule.isBlank()) {
            errors.add(FieldError.required("spec.schedule", ""));
        } else if (!CronSchedule.isValid(schedule)) {
            errors.add(FieldError.invalid("spec.schedule", schedule, CronSchedule.problem(schedule)));
        }
        if (spec.getConcurrencyPolicy() != null && !List.of("Allow", "Forbid", "Replace").contains(spec.getConcurrencyPolicy())) {
            errors.add(FieldError.notSupported("spec.concurrencyPolicy", spec.getConcurrencyPolicy(), List.of("Allow", "Forbid", "Replace")));
        }
        if (spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null) {
            errors.add(FieldError.required("spec.jobTemplate", ""));
        } else {
            job("spec.jobTemplate.spec", spec.getJobTemplate().getSpec());
        }
    }

    private void service(Service service, Service old) {
        var spec = service.getSpec();
        if (spec == null) {
            errors.add(FieldError.required("spec", ""));
            return;
        }
        String type = spec.getType();
        if (type != null && !SERVICE_TYPES.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, SERVICE_TYPES));
        }
        if ("ExternalName".equals(type)) {
            if (spec.getExternalName() == null || spec.getExternalName().isEmpty()) {
                errors.add(FieldError.required("spec.externalName", ""));
            }
        } else if (spec.getPorts().isEmpty() && !"None".equals(spec.getClusterIP())) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.getPorts().size(); i++) {
            ServicePort port = spec.getPorts().get(i);
            String at = "spec.ports[" + i + "]";
            if (spec.getPorts().size() > 1 && (port.getName() == null || port.getName().isEmpty())) {
                errors.add(FieldError.required(at + ".name", ""));
            } else if (port.getName() != null && !port.getName().isEmpty() && !names.add(port.getName())) {
                errors.add(FieldError.duplicate(at + ".name", port.getName()));
            }
            port(at + ".port", port.getPort(), true);
            protocol(at + ".protocol", port.getProtocol());
            if (port.getNodePort() != null && port.getNodePort() != 0) {
                if (!"NodePort".equals(type) && !"LoadBalancer".equals(type)) {
                    errors.add(new FieldError(at + ".nodePort", FieldError.Reason.FieldValueForbidden,
                            "may not be used when `type` is '" + type + "'"));
                } else if (port.getNodePort() < 30000 || port.getNodePort() > 32767) {
                    errors.add(FieldError.invalid(at + ".nodePort", port.getNodePort(),
                            "provided port is not in the valid range. The range of valid ports is 30000-32767"));
                }
            }
        }
        if (old != null && old.getSpec() != null && old.getSpec().getClusterIP() != null
                && !old.getSpec().getClusterIP().isEmpty() && spec.getClusterIP() != null
                && !spec.getClusterIP().isEmpty() && !spec.getClusterIP().equals(old.getSpec().getClusterIP())
                && !"ExternalName".equals(type)) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", spec.getClusterIP(), "may not change once set"));
        }
    }

    private void keys(String field, Map<String, String> data) {
        if (data != null) {
            data.keySet().forEach(key -> {
                String problem = Names.configKeyProblem(key);
                if (problem != null) {
                    errors.add(FieldError.invalid(field, key, problem));
                }
            });
        }
    }

    private void immutableData(Boolean immutable, Map<String, String> data, Boolean oldImmutable,
            Map<String, String> oldData) {
        if (!Boolean.TRUE.equals(oldImmutable)) {
            return;
        }
        if (!Boolean.TRUE.equals(immutable)) {
            errors.add(new FieldError("immutable", FieldError.Reason.FieldValueForbidden,
                    "field is immutable when `immutable` is set"));
        } else if (!Objects.equals(data, oldData)) {
            errors.add(new FieldError("data", FieldError.Reason.FieldValueForbidden,
                    "field is immutable when `immutable` is set"));
        }
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
