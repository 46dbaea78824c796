package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoreValidationTest {

    @Test
    void configMapKeys() {
        assertEquals(List.of(
                        "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                                + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                        "data[..x]: Invalid value: \"..x\": must not start with '..'",
                        "data[app.conf]: Invalid value: \"app.conf\": duplicate of key present in binaryData"),
                Fixtures.createProblems("""
                        {kind: ConfigMap, metadata: {name: c}, data: {'a b': x, ..x: y, app.conf: z, APP_MODE: prod},
                         binaryData: {app.conf: YWJj}}""", ConfigMap.class));
    }

    @Test
    void configMapsHoldAtMostAMebibyte() {
        assertEquals(List.of("Too long: must have at most 1048576 bytes"),
                Fixtures.createProblems("{kind: ConfigMap, metadata: {name: c}, data: {big: " + "x".repeat(1024 * 1024 + 1) + "}}", ConfigMap.class));
    }

    private static final String FROZEN = "{kind: ConfigMap, metadata: {name: c}, immutable: %s, data: {mode: %s}}";

    @Test
    void immutableConfigMapsStaySo() {
        ConfigMap stored = Fixtures.defaulted(String.format(FROZEN, true, "prod"), ConfigMap.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(String.format(FROZEN, true, "prod").replace("{name: c}", "{name: c, labels: {a: b}}"),
                ConfigMap.class), stored));
        assertEquals(List.of("data: Forbidden: field is immutable when `immutable` is set"),
                Fixtures.problems(Fixtures.defaulted(String.format(FROZEN, true, "dev"), ConfigMap.class), stored));
        assertEquals(List.of("immutable: Forbidden: field is immutable when `immutable` is set"),
                Fixtures.problems(Fixtures.defaulted(String.format(FROZEN, false, "prod"), ConfigMap.class), stored));
        ConfigMap mutable = Fixtures.defaulted(String.format(FROZEN, false, "prod"), ConfigMap.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(String.format(FROZEN, true, "dev"), ConfigMap.class), mutable));
    }

    @Test
    void secretData() {
        assertEquals(List.of("data[not base64]: Invalid value: \"not base64\": a valid config key must consist of alphanumeric characters, "
                                + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                        "data[not base64]: Invalid value: \"<secret contents redacted>\": illegal base64 data"),
                Fixtures.createProblems("{kind: Secret, metadata: {name: s}, data: {'not base64': '%%%'}}", Secret.class));
    }

    @Test
    void secretTypesRequireTheirKeys() {
        assertEquals(List.of("data[tls.crt]: Required value", "data[tls.key]: Required value"),
                Fixtures.createProblems("{kind: Secret, metadata: {name: s}, type: kubernetes.io/tls}", Secret.class));
        assertEquals(List.of("data[.dockerconfigjson]: Required value"),
                Fixtures.createProblems("{kind: Secret, metadata: {name: s}, type: kubernetes.io/dockerconfigjson}", Secret.class));
        assertEquals(List.of("metadata.annotations[kubernetes.io/service-account.name]: Required value"),
                Fixtures.createProblems("{kind: Secret, metadata: {name: s}, type: kubernetes.io/service-account-token}", Secret.class));
        assertEquals(List.of(), Fixtures.createProblems("{kind: Secret, metadata: {name: s}, type: kubernetes.io/basic-auth, stringData: {password: x}}",
                Secret.class));
    }

    @Test
    void aSecretsTypeAndFrozenDataStay() {
        Secret stored = Fixtures.defaulted("{kind: Secret, metadata: {name: s}, immutable: true, stringData: {a: b}}", Secret.class);
        assertEquals(List.of("type: Invalid value: \"example.com/custom\": field is immutable",
                        "data: Forbidden: field is immutable when `immutable` is set"),
                Fixtures.problems(Fixtures.defaulted("{kind: Secret, metadata: {name: s}, type: example.com/custom, immutable: true,"
                        + " stringData: {a: c}}", Secret.class), stored));
    }

    @Test
    void namespaceFinalizers() {
        assertEquals(List.of("spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"),
                Fixtures.createProblems("{kind: Namespace, metadata: {name: team-a}, spec: {finalizers: [cleanup]}}", Namespace.class));
    }

    @Test
    void nodeTaintsAndCIDRs() {
        assertEquals(List.of(
                        "spec.taints[0].effect: Required value",
                        "spec.taints[1].effect: Unsupported value: \"Evict\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                        "spec.taints[3]: Duplicate value: {\"effect\":\"NoSchedule\",\"key\":\"dedicated\",\"value\":\"b\"}: taints must be unique by key and effect pair",
                        "spec.podCIDR: Invalid value: \"10.244.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
                Fixtures.createProblems("""
                        {kind: Node, metadata: {name: node-1}, spec: {podCIDR: 10.244.0.0/33, podCIDRs: [10.244.0.0/24],
                         taints: [{key: a}, {key: b, effect: Evict}, {key: dedicated, value: a, effect: NoSchedule},
                                  {key: dedicated, value: b, effect: NoSchedule}]}}""", Node.class));
    }

    private static final String CLAIM = """
            {kind: PersistentVolumeClaim, metadata: {name: data},
             spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: %s}}}, status: {phase: %s}}""";

    @Test
    void claims() {
        assertEquals(List.of(), Fixtures.createProblems(String.format(CLAIM, "1Gi", "Pending"), PersistentVolumeClaim.class));
        assertEquals(List.of("spec.accessModes: Required value: at least 1 access mode is required",
                        "spec.resources[storage]: Required value"),
                Fixtures.createProblems("{kind: PersistentVolumeClaim, metadata: {name: data}, spec: {}}", PersistentVolumeClaim.class));
        assertEquals(List.of("spec.accessModes: Unsupported value: \"ReadWriteSome\": supported values: "
                        + "\"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                        "spec.resources[storage]: Invalid value: \"0\": must be greater than zero"),
                Fixtures.createProblems(String.format(CLAIM, "0", "Pending").replace("ReadWriteOnce", "ReadWriteSome"), PersistentVolumeClaim.class));
    }

    @Test
    void onlyBoundClaimsGrow() {
        String forbidden = "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
        PersistentVolumeClaim pending = Fixtures.defaulted(String.format(CLAIM, "1Gi", "Pending"), PersistentVolumeClaim.class);
        PersistentVolumeClaim bound = Fixtures.defaulted(String.format(CLAIM, "1Gi", "Bound"), PersistentVolumeClaim.class);
        PersistentVolumeClaim bigger = Fixtures.defaulted(String.format(CLAIM, "2Gi", "Bound"), PersistentVolumeClaim.class);
        assertEquals(List.of(), Fixtures.problems(bigger, bound));
        assertEquals(List.of(forbidden), Fixtures.problems(bigger, pending));
        PersistentVolumeClaim named = Fixtures.defaulted(String.format(CLAIM, "1Gi", "Bound"), PersistentVolumeClaim.class);
        named.getSpec().setVolumeName("pv-1");
        assertEquals(List.of(), Fixtures.problems(named, pending), "the binder names the volume once");
        PersistentVolumeClaim renamed = Fixtures.defaulted(String.format(CLAIM, "1Gi", "Bound"), PersistentVolumeClaim.class);
        renamed.getSpec().setVolumeName("pv-2");
        assertEquals(List.of(forbidden), Fixtures.problems(renamed, named));
    }

    @Test
    void eventsLiveWithTheirObject() {
        assertEquals(List.of("involvedObject.namespace: Invalid value: \"b\": does not match event.namespace"),
                Fixtures.createProblems("{kind: Event, metadata: {name: e.1, namespace: a}, involvedObject: {kind: Pod, name: p, namespace: b}}", Event.class));
        assertEquals(List.of(),
                Fixtures.createProblems("{kind: Event, metadata: {name: e.1, namespace: default}, involvedObject: {kind: Node, name: node-1}}", Event.class));
    }

    @Test
    void scaleReplicasAreNotNegative() {
        assertEquals(List.of("spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
                Fixtures.problems(Fixtures.read("{kind: Scale, apiVersion: autoscaling/v1, metadata: {name: web}, spec: {replicas: -1}}", Scale.class)));
    }
}
