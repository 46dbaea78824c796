package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The defaults the Kubernetes API server fills in, for the kinds Tug serves. Applying them twice
 * changes nothing. Controllers and {@code kubectl describe} rely on them being there.
 */
public final class Defaulting {

    private static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    private static final String JOB_NAME = "batch.kubernetes.io/job-name";

    private Defaulting() {
    }

    public static void apply(HasMetadata object) {
        if (object instanceof Pod pod) {
            pod(pod);
        } else if (object instanceof Deployment d) {
            deployment(d);
        } else if (object instanceof ReplicaSet rs) {
            rs.getSpec().setReplicas(or(rs.getSpec().getReplicas(), 1));
            podTemplate(rs.getSpec().getTemplate(), "Always");
        } else if (object instanceof ReplicationController rc) {
            replicationController(rc);
        } else if (object instanceof DaemonSet ds) {
            daemonSet(ds);
        } else if (object instanceof Job job) {
            job(job);
        } else if (object instanceof CronJob cronJob) {
            cronJob(cronJob);
        } else if (object instanceof Service service) {
            service(service.getSpec());
        } else if (object instanceof Secret secret) {
            secret(secret);
        } else if (object instanceof Namespace namespace) {
            NamespaceStatus status = orNew(namespace.getStatus(), NamespaceStatus::new, namespace::setStatus);
            status.setPhase(namespace.getMetadata().getDeletionTimestamp() != null ? "Terminating" : "Active");
        } else if (object instanceof PersistentVolumeClaim claim && claim.getSpec() != null) {
            claim.getSpec().setVolumeMode(or(claim.getSpec().getVolumeMode(), "Filesystem"));
            PersistentVolumeClaimStatus status = orNew(claim.getStatus(), PersistentVolumeClaimStatus::new, claim::setStatus);
            status.setPhase(or(status.getPhase(), "Pending"));
        }
    }

    private static void pod(Pod pod) {
        if (pod.getSpec() != null) {
            podSpec(pod.getSpec(), "Always");
            tolerateUnreadyNodes(pod.getSpec());
        }
        PodStatus status = orNew(pod.getStatus(), PodStatus::new, pod::setStatus);
        status.setPhase(or(status.getPhase(), "Pending"));
    }

    /** What the DefaultTolerationSeconds admission plugin adds: pods leave a lost node after 5 minutes. */
    private static void tolerateUnreadyNodes(PodSpec spec) {
        List<Toleration> tolerations = new ArrayList<>(spec.getTolerations());
        for (String taint : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean present = tolerations.stream().anyMatch(t -> taint.equals(t.getKey())
                    && (t.getEffect() == null || "NoExecute".equals(t.getEffect())));
            if (!present) {
                tolerations.add(new Toleration("NoExecute", taint, "Exists", 300L, null));
            }
        }
        spec.setTolerations(tolerations);
    }

    private static void deployment(Deployment deployment) {
        var spec = deployment.getSpec();
        if (spec == null) {
            return;
        }
        spec.setReplicas(or(spec.getReplicas(), 1));
        spec.setRevisionHistoryLimit(or(spec.getRevisionHistoryLimit(), 10));
        spec.setProgressDeadlineSeconds(or(spec.getProgressDeadlineSeconds(), 600));
        DeploymentStrategy strategy = orNew(spec.getStrategy(), DeploymentStrategy::new, spec::setStrategy);
        strategy.setType(or(strategy.getType(), "RollingUpdate"));
        if (strategy.getType().equals("RollingUpdate")) {
            RollingUpdateDeployment rolling = orNew(strategy.getRollingUpdate(), RollingUpdateDeployment::new,
                    strategy::setRollingUpdate);
            rolling.setMaxSurge(or(rolling.getMaxSurge(), new IntOrString("25%")));
            rolling.setMaxUnavailable(or(rolling.getMaxUnavailable(), new IntOrString("25%")));
        }
        podTemplate(spec.getTemplate(), "Always");
    }

    private static void replicationController(ReplicationController rc) {
        var spec = rc.getSpec();
        if (spec == null) {
            return;
        }
        spec.setReplicas(or(spec.getReplicas(), 1));
        Map<String, String> templateLabels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
                ? Map.of() : spec.getTemplate().getMetadata().getLabels();
        if ((spec.getSelector() == null || spec.getSelector().isEmpty()) && !templateLabels.isEmpty()) {
            spec.setSelector(new LinkedHashMap<>(templateLabels));
        }
        if (rc.getMetadata().getLabels() == null || rc.getMetadata().getLabels().isEmpty()) {
            rc.getMetadata().setLabels(new LinkedHashMap<>(templateLabels));
        }
        podTemplate(spec.getTemplate(), "Always");
    }

    private static void daemonSet(DaemonSet daemonSet) {
        var spec = daemonSet.getSpec();
        if (spec == null) {
            return;
        }
        spec.setRevisionHistoryLimit(or(spec.getRevisionHistoryLimit(), 10));
        DaemonSetUpdateStrategy strategy = orNew(spec.getUpdateStrategy(), DaemonSetUpdateStrategy::new,
                spec::setUpdateStrategy);
        strategy.setType(or(strategy.getType(), "RollingUpdate"));
        if (strategy.getType().equals("RollingUpdate")) {
            RollingUpdateDaemonSet rolling = orNew(strategy.getRollingUpdate(), RollingUpdateDaemonSet::new,
                    strategy::setRollingUpdate);
            rolling.setMaxUnavailable(or(rolling.getMaxUnavailable(), new IntOrString(1)));
            rolling.setMaxSurge(or(rolling.getMaxSurge(), new IntOrString(0)));
        }
        podTemplate(spec.getTemplate(), "Always");
    }

    /** Needs metadata.uid: the server sets it before defaulting, and the generated selector uses it. */
    private static void job(Job job) {
        JobSpec spec = job.getSpec();
        if (spec == null) {
            return;
        }
        jobSpec(spec);
        String uid = job.getMetadata().getUid();
        if (!Boolean.TRUE.equals(spec.getManualSelector()) && spec.getSelector() == null && uid != null) {
            spec.setSelector(new LabelSelector(null, new LinkedHashMap<>(Map.of(CONTROLLER_UID, uid))));
            if (spec.getTemplate() != null) {
                var meta = orNew(spec.getTemplate().getMetadata(), io.fabric8.kubernetes.api.model.ObjectMeta::new,
                        spec.getTemplate()::setMetadata);
                Map<String, String> labels = new LinkedHashMap<>(meta.getLabels());
                labels.putIfAbsent(CONTROLLER_UID, uid);
                labels.putIfAbsent(JOB_NAME, job.getMetadata().getName());
                labels.putIfAbsent("controller-uid", uid);
                labels.putIfAbsent("job-name", job.getMetadata().getName());
                meta.setLabels(labels);
            }
        }
    }

    private static void jobSpec(JobSpec spec) {
        if (spec.getCompletions() == null && spec.getParallelism() == null) {
            spec.setCompletions(1);
            spec.setParallelism(1);
        }
        spec.setParallelism(or(spec.getParallelism(), 1));
        spec.setBackoffLimit(or(spec.getBackoffLimit(), 6));
        spec.setCompletionMode(or(spec.getCompletionMode(), "NonIndexed"));
        spec.setSuspend(or(spec.getSuspend(), false));
        spec.setPodReplacementPolicy(or(spec.getPodReplacementPolicy(), "TerminatingOrFailed"));
        podTemplate(spec.getTemplate(), null);
    }

    private static void cronJob(CronJob cronJob) {
        var spec = cronJob.getSpec();
        if (spec == null) {
            return;
        }
        spec.setConcurrencyPolicy(or(spec.getConcurrencyPolicy(), "Allow"));
        spec.setSuspend(or(spec.getSuspend(), false));
        spec.setSuccessfulJobsHistoryLimit(or(spec.getSuccessfulJobsHistoryLimit(), 3));
        spec.setFailedJobsHistoryLimit(or(spec.getFailedJobsHistoryLimit(), 1));
        if (spec.getJobTemplate() != null && spec.getJobTemplate().getSpec() != null) {
            jobSpec(spec.getJobTemplate().getSpec());
        }
    }

    private static void service(ServiceSpec spec) {
        if (spec == null) {
            return;
        }
        spec.setType(or(spec.getType(), "ClusterIP"));
        spec.setSessionAffinity(or(spec.getSessionAffinity(), "None"));
        if (!spec.getType().equals("ExternalName")) {
            spec.setInternalTrafficPolicy(or(spec.getInternalTrafficPolicy(), "Cluster"));
        }
        if (spec.getType().equals("NodePort") || spec.getType().equals("LoadBalancer")) {
            spec.setExternalTrafficPolicy(or(spec.getExternalTrafficPolicy(), "Cluster"));
        }
        for (ServicePort port : spec.getPorts()) {
            port.setProtocol(or(port.getProtocol(), "TCP"));
            if (port.getTargetPort() == null && port.getPort() != null) {
                port.setTargetPort(new IntOrString(port.getPort()));
            }
        }
    }

    /** stringData is write-only: it is merged into data, base64-encoded, as the API server does. */
    private static void secret(Secret secret) {
        secret.setType(or(secret.getType(), "Opaque"));
        if (secret.getStringData() != null && !secret.getStringData().isEmpty()) {
            Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
            secret.getStringData().forEach((k, v) -> data.put(k,
                    Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            secret.setData(data);
            secret.setStringData(null);
        }
    }

    private static void podTemplate(PodTemplateSpec template, String restartPolicy) {
        if (template != null && template.getSpec() != null) {
            podSpec(template.getSpec(), restartPolicy);
        }
    }

    /** {@code restartPolicy} null: none is defaulted (a Job's pods must choose Never or OnFailure). */
    private static void podSpec(PodSpec spec, String restartPolicy) {
        if (restartPolicy != null) {
            spec.setRestartPolicy(or(spec.getRestartPolicy(), restartPolicy));
        }
        spec.setDnsPolicy(or(spec.getDnsPolicy(), "ClusterFirst"));
        spec.setTerminationGracePeriodSeconds(or(spec.getTerminationGracePeriodSeconds(), 30L));
        spec.setSchedulerName(or(spec.getSchedulerName(), "default-scheduler"));
        spec.setSecurityContext(or(spec.getSecurityContext(), new PodSecurityContext()));
        spec.setEnableServiceLinks(or(spec.getEnableServiceLinks(), true));
        List<Container> all = new ArrayList<>(spec.getInitContainers());
        all.addAll(spec.getContainers());
        for (Container container : all) {
            container(container);
        }
        for (Volume volume : spec.getVolumes()) {
            if (volume.getConfigMap() != null) {
                volume.getConfigMap().setDefaultMode(or(volume.getConfigMap().getDefaultMode(), 420));
            }
            if (volume.getSecret() != null) {
                volume.getSecret().setDefaultMode(or(volume.getSecret().getDefaultMode(), 420));
            }
        }
    }

    private static void container(Container container) {
        container.setTerminationMessagePath(or(container.getTerminationMessagePath(), "/dev/termination-log"));
        container.setTerminationMessagePolicy(or(container.getTerminationMessagePolicy(), "File"));
        container.setImagePullPolicy(or(container.getImagePullPolicy(), pullPolicy(container.getImage())));
        for (ContainerPort port : container.getPorts()) {
            port.setProtocol(or(port.getProtocol(), "TCP"));
        }
        for (Probe probe : new Probe[] {container.getLivenessProbe(), container.getReadinessProbe(),
                container.getStartupProbe()}) {
            if (probe != null) {
                probe.setTimeoutSeconds(or(probe.getTimeoutSeconds(), 1));
                probe.setPeriodSeconds(or(probe.getPeriodSeconds(), 10));
                probe.setSuccessThreshold(or(probe.getSuccessThreshold(), 1));
                probe.setFailureThreshold(or(probe.getFailureThreshold(), 3));
                if (probe.getHttpGet() != null) {
                    probe.getHttpGet().setScheme(or(probe.getHttpGet().getScheme(), "HTTP"));
                }
            }
        }
        container.getEnv().forEach(env -> {
            if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null) {
                env.getValueFrom().getFieldRef().setApiVersion(or(env.getValueFrom().getFieldRef().getApiVersion(), "v1"));
            }
        });
    }

    /** Always for ":latest" or no tag (the image may have changed), else IfNotPresent. */
    static String pullPolicy(String image) {
        if (image == null || image.contains("@")) {
            return "IfNotPresent";
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastPart.lastIndexOf(':');
        return colon < 0 || lastPart.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T> T orNew(T value, Supplier<T> create, Consumer<T> set) {
        if (value != null) {
            return value;
        }
        T created = create.get();
        set.accept(created);
        return created;
    }
}
