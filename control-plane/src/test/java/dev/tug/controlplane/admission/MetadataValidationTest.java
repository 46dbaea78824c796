package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataValidationTest {

    private static List<String> configMapProblems(String metadata) {
        return Fixtures.createProblems("{kind: ConfigMap, metadata: " + metadata + "}", ConfigMap.class);
    }

    @Test
    void nameIsRequired() {
        assertEquals(List.of("metadata.name: Required value: name or generateName is required"), configMapProblems("{namespace: default}"));
    }

    @Test
    void mostNamesAreDnsSubdomains() {
        assertEquals(List.of("metadata.name: Invalid value: \"Foo_Bar\": a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
                configMapProblems("{name: Foo_Bar}"));
        assertEquals(List.of(), configMapProblems("{name: app.config-1}"));
    }

    @Test
    void overlongNamesSayTheLimit() {
        List<String> problems = configMapProblems("{name: " + "a".repeat(254) + "}");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).endsWith(": must be no more than 253 characters"), problems.get(0));
    }

    @Test
    void namespaceNamesAreDnsLabels() {
        assertEquals(List.of("metadata.name: Invalid value: \"team.a\": must not contain dots"),
                Fixtures.createProblems("{kind: Namespace, metadata: {name: team.a}}", Namespace.class));
        assertEquals(List.of("metadata.name: Invalid value: \"Team\": a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
                Fixtures.createProblems("{kind: Namespace, metadata: {name: Team}}", Namespace.class));
    }

    @Test
    void serviceNamesStartWithALetter() {
        assertEquals(List.of("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric "
                + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
                + "or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
                Fixtures.createProblems("{kind: Service, metadata: {name: 1web}, spec: {ports: [{port: 80}]}}", Service.class));
    }

    @Test
    void labelKeysAndValues() {
        assertEquals(List.of(
                "metadata.labels: Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                        + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                        + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, "
                        + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                        + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
                configMapProblems("{name: c, labels: {-app: web, tier: a b}}"));
        assertEquals(List.of("metadata.labels: Invalid value: \"" + "v".repeat(64) + "\": must be no more than 63 characters"),
                configMapProblems("{name: c, labels: {app: " + "v".repeat(64) + "}}"));
        assertEquals(List.of(), configMapProblems("{name: c, labels: {app.kubernetes.io/name: web, empty: ''}}"));
    }

    @Test
    void labelKeyPrefixesAreSubdomains() {
        assertEquals(List.of("metadata.labels: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain must "
                        + "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
                configMapProblems("{name: c, labels: {Example.com/app: web}}"));
        assertEquals(1, configMapProblems("{name: c, labels: {a/b/c: web}}").size());
    }

    @Test
    void annotationKeysAreQualifiedNamesInAnyCaseAndLimitedInSize() {
        assertEquals(List.of(), configMapProblems("{name: c, annotations: {Example.COM/Owner: me}}"));
        assertEquals(1, configMapProblems("{name: c, annotations: {'bad key': x}}").size());
        assertEquals(List.of("metadata.annotations: Too long: must have at most 262144 bytes"),
                configMapProblems("{name: c, annotations: {big: " + "x".repeat(262144) + "}}"));
    }

    @Test
    void finalizersAreQualifiedOrStandard() {
        assertEquals(List.of("metadata.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"),
                configMapProblems("{name: c, finalizers: [foregroundDeletion, example.com/cleanup, cleanup]}"));
    }

    @Test
    void ownerReferencesNameTheirOwnerAndOneController() {
        List<String> problems = configMapProblems("""
                        {name: c, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: a, controller: true},
                                                    {apiVersion: apps/v1, kind: ReplicaSet, name: b, uid: '2', controller: true}]}""");
        assertEquals(2, problems.size());
        assertEquals("metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty", problems.get(0));
        assertTrue(problems.get(1).startsWith("metadata.ownerReferences: Invalid value: [{\"apiVersion\":\"apps/v1\""), problems.get(1));
        assertTrue(problems.get(1).endsWith("]: Only one reference can have Controller set to true"), problems.get(1));
    }

    @Test
    void identityCannotChangeOnUpdate() {
        ServiceAccount stored = Fixtures.read("{kind: ServiceAccount, metadata: {name: a, namespace: x, uid: '1'}}", ServiceAccount.class);
        ServiceAccount renamed = Fixtures.read("{kind: ServiceAccount, metadata: {name: b, namespace: x, uid: '2'}}", ServiceAccount.class);
        assertEquals(List.of("metadata.name: Invalid value: \"b\": field is immutable", "metadata.uid: Invalid value: \"2\": field is immutable"),
                Fixtures.problems(renamed, stored));
    }

    @Test
    void updatesCompareObjectsOfOneKind() {
        ServiceAccount account = Fixtures.read("{kind: ServiceAccount, metadata: {name: a}}", ServiceAccount.class);
        ConfigMap configMap = Fixtures.read("{kind: ConfigMap, metadata: {name: a}}", ConfigMap.class);
        assertThrows(IllegalArgumentException.class, () -> Validation.validate(account, configMap));
    }

    @Test
    void fieldErrorsReadLikeKubernetes() {
        FieldError required = FieldError.required("spec.template.spec.containers[0].image", "");
        assertEquals("spec.template.spec.containers[0].image: Required value", required.message());
        assertEquals("Required value", required.body());
        assertEquals("FieldValueRequired", required.reason().name());
        FieldError unsupported = FieldError.notSupported("spec.type", "Magic", List.of("ClusterIP", "NodePort"));
        assertEquals("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"NodePort\"", unsupported.message());
        assertEquals("spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0").message());
        assertEquals("spec.ports[1].name: Duplicate value: \"http\"", FieldError.duplicate("spec.ports[1].name", "http").message());
        assertEquals("x: Invalid value: \"a\\\"b\\n\": bad", FieldError.invalid("x", "a\"b\n", "bad").message());
        assertEquals("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"tier\":\"a\"}: nope",
                FieldError.invalid("spec.template.metadata.labels", java.util.Map.of("tier", "a", "app", "web"), "nope").message());
        assertEquals("data: Forbidden: field is immutable when `immutable` is set",
                FieldError.forbidden("data", "field is immutable when `immutable` is set").toString());
    }

    @Test
    void oneMessageIsReportedOnce() {
        // both labels break the same rule with the same value: Kubernetes' aggregate shows it once
        assertEquals(1, configMapProblems("{name: c, labels: {a: -x-, b: -x-}}").size());
    }
}
