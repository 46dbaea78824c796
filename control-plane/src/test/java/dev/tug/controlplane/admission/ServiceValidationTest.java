package dev.tug.controlplane.admission;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceValidationTest {

    private static List<String> serviceProblems(String spec) {
        return Fixtures.createProblems("{kind: Service, metadata: {name: web}, spec: " + spec + "}", Service.class);
    }

    @Test
    void validServicesOfEachType() {
        assertEquals(List.of(), serviceProblems("{selector: {app: web}, ports: [{port: 80}]}"));
        assertEquals(List.of(), serviceProblems("{type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}"));
        assertEquals(List.of(), serviceProblems("{type: LoadBalancer, ports: [{port: 443}]}"));
        assertEquals(List.of(), serviceProblems("{type: ExternalName, externalName: db.example.com.}"));
        assertEquals(List.of(), serviceProblems("{clusterIP: None, selector: {app: web}}"));
    }

    @Test
    void portsAreRequiredUnlessHeadlessOrExternalName() {
        assertEquals(List.of("spec.ports: Required value"), serviceProblems("{selector: {app: web}}"));
        assertEquals(List.of("spec.ports: Required value"), serviceProblems("{selector: {app: web}, ports: null, clusterIPs: null}"));
        assertEquals(List.of(), serviceProblems("{clusterIP: None}"));
    }

    @Test
    void portNamesNumbersAndProtocols() {
        assertEquals(List.of(
                        "spec.ports[0].name: Required value",
                        "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                        "spec.ports[2].name: Duplicate value: \"http\"",
                        "spec.ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                        "spec.ports[3].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.ports[4]: Duplicate value: \"TCP/8080\""),
                serviceProblems("""
                        {ports: [{port: 80}, {name: http, port: 0, targetPort: 80}, {name: http, port: 81, protocol: ICMP},
                                 {name: admin, port: 8080, targetPort: 70000}, {name: admin2, port: 8080}]}"""));
    }

    @Test
    void nodePorts() {
        assertEquals(List.of("spec.ports[0].nodePort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                        "spec.ports[2].nodePort: Duplicate value: 30080"),
                serviceProblems("{type: NodePort, ports: [{name: a, port: 80, nodePort: 70000}, {name: b, port: 81, nodePort: 30080},"
                        + " {name: c, port: 82, nodePort: 30080}]}"));
        assertEquals(List.of("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
                serviceProblems("{ports: [{port: 80, nodePort: 30080}]}"));
    }

    @Test
    void typesAndTheirRules() {
        assertEquals(List.of("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                serviceProblems("{type: Magic, ports: [{port: 80}]}"));
        assertEquals(List.of("spec.externalName: Required value"), serviceProblems("{type: ExternalName}"));
        assertEquals(List.of("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"),
                serviceProblems("{type: NodePort, clusterIP: None, selector: {a: b}, ports: [{port: 80}]}"));
        assertEquals(List.of("spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet"),
                serviceProblems("{type: LoadBalancer, ports: [{port: 10250}]}"));
        assertEquals(List.of("spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services"),
                serviceProblems("{externalTrafficPolicy: Local, ports: [{port: 80}]}"));
    }

    @Test
    void thisClusterIsSingleStackIPv4() {
        assertEquals(List.of("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"),
                serviceProblems("{ipFamilyPolicy: RequireDualStack, ports: [{port: 80}]}"));
        assertEquals(List.of("spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
                serviceProblems("{clusterIP: 10.0.0.300, ports: [{port: 80}]}"));
    }

    @Test
    void sessionAffinity() {
        assertEquals(List.of("spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\""),
                serviceProblems("{sessionAffinity: Cookie, ports: [{port: 80}]}"));
        assertEquals(List.of("spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"),
                serviceProblems("{sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}, ports: [{port: 80}]}"));
    }

    private static final String ALLOCATED = "{kind: Service, metadata: {name: web}, spec: {clusterIP: %s, selector: {a: b}, ports: [{port: 80}]}}";

    @Test
    void anAllocatedClusterIPStays() {
        Service stored = Fixtures.defaulted(String.format(ALLOCATED, "10.96.0.10"), Service.class);
        assertEquals(List.of(), Fixtures.problems(Fixtures.defaulted(String.format(ALLOCATED, "10.96.0.10"), Service.class), stored));
        assertEquals(List.of("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set"),
                Fixtures.problems(Fixtures.defaulted(String.format(ALLOCATED, "10.96.0.11"), Service.class), stored));
        assertEquals(List.of("spec.clusterIPs[0]: Invalid value: []string{}: primary clusterIP can not be unset"),
                Fixtures.problems(Fixtures.defaulted(String.format(ALLOCATED, "''"), Service.class), stored));
    }

    @Test
    void becomingAnExternalNameReleasesTheClusterIP() {
        Service stored = Fixtures.defaulted(String.format(ALLOCATED, "10.96.0.10"), Service.class);
        Service externalName = Fixtures.defaulted("{kind: Service, metadata: {name: web}, spec: {type: ExternalName, externalName: x.example.com}}", Service.class);
        assertEquals(List.of(), Fixtures.problems(externalName, stored));
    }

    @Test
    void endpoints() {
        assertEquals(List.of(), Fixtures.createProblems("""
                {kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{ip: 10.0.0.5, nodeName: node-1}], notReadyAddresses: [{ip: 'fd00::5'}],
                 ports: [{name: http, port: 80}, {name: https, port: 443}]}]}""", Endpoints.class));
        assertEquals(List.of(
                        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
                        "subsets[1].addresses[0].ip: Invalid value: \"web\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                        "subsets[1].ports[0].name: Required value",
                        "subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Fixtures.createProblems("""
                        {kind: Endpoints, metadata: {name: web}, subsets: [{ports: [{port: 80}]},
                         {addresses: [{ip: web}], ports: [{port: 80}, {name: b, port: 0}]}]}""", Endpoints.class));
    }
}
