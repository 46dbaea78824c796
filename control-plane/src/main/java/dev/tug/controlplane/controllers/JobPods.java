package dev.tug.controlplane.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;
import dev.tug.controlplane.objects.ObjectMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Job's pods sorted by what they mean for it: running, succeeded, failed (as the pod failure policy counts), stopping. */
final class JobPods {

    /** Kubernetes waits 10 s before replacing a failed pod, doubling per failure since the last success, up to 6 minutes. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(6);

    /** Neither finished nor being deleted. */
    final List<ObjectNode> active = new ArrayList<>();
    final List<ObjectNode> succeeded = new ArrayList<>();
    /** Failures that count toward {@code backoffLimit}: those the pod failure policy ignores are left out. */
    final List<ObjectNode> failed = new ArrayList<>();
    /** Being deleted and not finished: their containers are still stopping. */
    final List<ObjectNode> terminating = new ArrayList<>();
    /** The message of the first failure a FailJob rule matched, or null. */
    final String failJobMessage;

    JobPods(List<ObjectNode> owned, JsonNode job) {
        JsonNode policy = job.path("spec").path("podFailurePolicy");
        String failJob = null;
        for (ObjectNode pod : owned) {
            String phase = Pods.phase(pod);
            if (phase.equals("Succeeded")) {
                succeeded.add(pod);
            } else if (phase.equals("Failed")) {
                PodFailurePolicy.Match match = policy.isObject() ? PodFailurePolicy.match(policy, pod) : null;
                if (match != null && match.failsJob() && failJob == null) {
                    failJob = match.message();
                }
                if (match == null || !match.ignored()) {
                    failed.add(pod);
                }
            } else if (ObjectMetadata.deleting(pod)) {
                terminating.add(pod);
            } else {
                active.add(pod);
            }
        }
        failJobMessage = failJob;
    }

    int ready() {
        return (int) active.stream().filter(Pods::ready).count();
    }

    /**
     * Container restarts (init containers too) of the pods still Pending or Running: with
     * restartPolicy OnFailure the kubelet retries in place, and these count against backoffLimit.
     */
    int restartsInPlace() {
        int total = 0;
        for (List<ObjectNode> pods : List.of(active, terminating)) {
            for (ObjectNode pod : pods) {
                for (String list : new String[] {"initContainerStatuses", "containerStatuses"}) {
                    for (JsonNode container : pod.path("status").path(list)) {
                        total += container.path("restartCount").asInt();
                    }
                }
            }
        }
        return total;
    }

    /** How long to wait before replacing failed pods: zero when none failed since the last success. */
    Duration backoff(Instant now) {
        Instant lastSuccess = succeeded.stream().map(JobPods::finishedAt).max(Instant::compareTo).orElse(Instant.MIN);
        List<Instant> failures = failed.stream().map(JobPods::finishedAt).filter(at -> at.isAfter(lastSuccess)).toList();
        if (failures.isEmpty()) {
            return Duration.ZERO;
        }
        return backoff(failures.size(), failures.stream().max(Instant::compareTo).orElseThrow(), now);
    }

    /** The back-off after {@code failures} failures in a row, the last at {@code lastFailure}: what is left of it at {@code now}. */
    static Duration backoff(int failures, Instant lastFailure, Instant now) {
        Duration delay = FAILURE_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 16));
        if (delay.compareTo(MAX_FAILURE_BACKOFF) > 0) {
            delay = MAX_FAILURE_BACKOFF;
        }
        Duration left = Duration.between(now, lastFailure.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** When the pod's last container ended, or when it was created if it says nothing. */
    static Instant finishedAt(JsonNode pod) {
        Instant latest = null;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String finished = status.path("state").path("terminated").path("finishedAt").asText(null);
            if (finished != null) {
                Instant at = Instant.parse(finished);
                latest = latest == null || at.isAfter(latest) ? at : latest;
            }
        }
        return latest != null ? latest : Instant.parse(Json.text(pod, "metadata", "creationTimestamp"));
    }
}
