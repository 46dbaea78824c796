package dev.tug.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tug.state.testing.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * update and delete of AWS clusters against moto_server on loopback, with the cloud phase only (moto's instance
 * and load balancer addresses are made up and never dialled). Every result is checked with the aws CLI.
 */
class AwsClusterCliTest extends CliTest {
    private static final String NEWEST_NOBLE = "ami-0aa0000000000a002";
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() throws IOException {
        // the SDK must never try the instance metadata address: tests talk to loopback only
        System.setProperty("aws.disableEc2Metadata", "true");
        Path images = Files.createTempFile("moto-amis-", ".json");
        try (InputStream in = AwsClusterCliTest.class.getResourceAsStream("/moto-amis.json")) {
            Files.copy(in, images, StandardCopyOption.REPLACE_EXISTING);
        }
        moto = MotoServer.start(Map.of("MOTO_AMIS_PATH", images.toString()));
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void pointAtMoto() {
        env.putAll(moto.environment());
        defaultSshKey();
    }

    private String aws(String... arguments) {
        return moto.aws(arguments).trim();
    }

    private String owned(String cluster) {
        return "Name=tag:kubernetes.io/cluster/" + cluster + ",Values=owned";
    }

    private Result ok(String... args) {
        Result result = tug(args);
        assertEquals(0, result.exit(), result::toString);
        return result;
    }

    private void create(String cluster, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("create", "cluster", cluster, "--cloud", "aws"));
        args.addAll(List.of(extra));
        ok(args.toArray(String[]::new));
    }

    @Test
    void reportApplyNoOpEditAndDeleteEverythingTagged() throws IOException {
        create("c1.example.com", "--zones", "us-east-1a,us-east-1b", "--node-count", "2");

        Result report = ok("update", "cluster", "c1.example.com", "-v");
        assertTrue(report.out().contains("Will create resources:"), report::toString);
        for (String key : List.of("VPC/c1.example.com", "Subnet/us-east-1a.c1.example.com",
                "Subnet/us-east-1b.c1.example.com", "InternetGateway/c1.example.com", "RouteTable/c1.example.com",
                "SecurityGroup/control-plane.c1.example.com", "SecurityGroupRules/nodes.c1.example.com",
                "IAMRole/nodes.c1.example.com", "IAMRolePolicy/control-plane.c1.example.com",
                "IAMInstanceProfile/nodes.c1.example.com", "LaunchTemplate/nodes-us-east-1b.c1.example.com",
                "AutoScalingGroup/control-plane-us-east-1a.c1.example.com", "LoadBalancer/api-c1-example-com",
                "TargetGroup/api-c1-example-com", "Listener/api-c1-example-com:6443")) {
            assertTrue(report.out().contains("\n  " + key + "\n"), key + " missing from\n" + report.out());
        }
        assertTrue(report.out().contains("cidr          172.20.0.0/16"), report::toString);
        assertTrue(report.out().contains("image            " + NEWEST_NOBLE), "newest Ubuntu 24.04\n" + report);
        assertTrue(report.out().endsWith("Must specify --yes to apply changes\n"), report::toString);
        assertTrue(report.err().contains("(0 changing)"), report::toString);
        assertEquals("", aws("ec2", "describe-vpcs", "--filters", owned("c1.example.com"), "--query", "Vpcs[].VpcId"));

        Result apply = ok("update", "cluster", "c1.example.com", "--yes", "--phase", "cloud");
        assertTrue(apply.err().contains("Tasks: 25 done / 25 total"), apply::toString);
        assertTrue(apply.out().contains("are ready (25 created, 0 changed)"), apply::toString);
        verifyResources();

        Result again = ok("update", "cluster", "c1.example.com", "--yes", "--phase", "cloud", "-v");
        assertTrue(again.out().contains("No changes need to be applied"), again::toString);
        assertTrue(again.err().contains("(0 changing)"), "a no-op makes no changing call\n" + again);

        editInstanceGroup("c1.example.com", "nodes-us-east-1a", "s/minSize: 1/minSize: 2/; s/maxSize: 1/maxSize: 2/");
        Result edited = ok("update", "cluster", "c1.example.com");
        assertEquals("""
                Will modify resources:
                  AutoScalingGroup/nodes-us-east-1a.c1.example.com
                    minSize: 1 -> 2
                    maxSize: 1 -> 2

                Must specify --yes to apply changes
                """, edited.out());
        assertEquals("1 1", aws("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names",
                "nodes-us-east-1a.c1.example.com", "--query", "AutoScalingGroups[0].[MinSize,MaxSize]")
                .replace('\t', ' '), "the report changed nothing");
        Result scaled = ok("update", "cluster", "c1.example.com", "--yes", "--phase", "cloud", "-v");
        assertTrue(scaled.out().contains("(0 created, 1 changed)"), scaled::toString);
        assertTrue(Pattern.compile("(?m)^  autoscaling\\.UpdateAutoScalingGroup +1$").matcher(scaled.err()).find(),
                scaled::toString);
        assertTrue(scaled.err().contains("(1 changing)"), scaled::toString);
        assertEquals("2 2 2", aws("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names",
                "nodes-us-east-1a.c1.example.com", "--query",
                "AutoScalingGroups[0].[MinSize,MaxSize,DesiredCapacity]").replace('\t', ' '));
        assertTrue(ok("update", "cluster", "c1.example.com", "--yes", "--phase", "cloud").out()
                .contains("No changes need to be applied"));

        deleteWaitsForForeignDependenciesAndTouchesNothingElse();
    }

    private void verifyResources() {
        String vpc = aws("ec2", "describe-vpcs", "--filters", owned("c1.example.com"), "--query", "Vpcs[0].VpcId");
        assertTrue(vpc.startsWith("vpc-"), vpc);
        assertEquals("172.20.0.0/16", aws("ec2", "describe-vpcs", "--vpc-ids", vpc, "--query", "Vpcs[0].CidrBlock"));
        String tags = aws("ec2", "describe-vpcs", "--vpc-ids", vpc, "--query", "Vpcs[0].Tags[].[Key,Value]");
        for (String tag : List.of("KubernetesCluster\tc1.example.com", "kubernetes.io/cluster/c1.example.com\towned",
                "Name\tc1.example.com")) {
            assertTrue(tags.contains(tag), tag + " not in\n" + tags);
        }
        assertEquals("True", aws("ec2", "describe-vpc-attribute", "--vpc-id", vpc, "--attribute", "enableDnsHostnames",
                "--query", "EnableDnsHostnames.Value"));

        String subnets = aws("ec2", "describe-subnets", "--filters", owned("c1.example.com"), "--query",
                "sort_by(Subnets,&AvailabilityZone)[].[AvailabilityZone,CidrBlock,VpcId,MapPublicIpOnLaunch]");
        assertEquals("us-east-1a\t172.20.32.0/19\t" + vpc + "\tTrue\nus-east-1b\t172.20.64.0/19\t" + vpc + "\tTrue",
                subnets);
        String gateway = aws("ec2", "describe-internet-gateways", "--filters", owned("c1.example.com"), "--query",
                "InternetGateways[0].[InternetGatewayId,Attachments[0].VpcId]");
        assertTrue(gateway.endsWith("\t" + vpc), gateway);
        String gatewayId = gateway.split("\t")[0];
        assertEquals("0.0.0.0/0\t" + gatewayId, aws("ec2", "describe-route-tables", "--filters", owned("c1.example.com"),
                "--query", "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].[DestinationCidrBlock,GatewayId]"));
        assertEquals("2", aws("ec2", "describe-route-tables", "--filters", owned("c1.example.com"), "--query",
                "length(RouteTables[0].Associations[?SubnetId])"));

        String controlPlane = aws("ec2", "describe-security-groups", "--filters", owned("c1.example.com"),
                "Name=group-name,Values=control-plane.c1.example.com", "--query", "SecurityGroups[0].GroupId");
        String nodes = aws("ec2", "describe-security-groups", "--filters", owned("c1.example.com"),
                "Name=group-name,Values=nodes.c1.example.com", "--query", "SecurityGroups[0].GroupId");
        String cpRules = aws("ec2", "describe-security-groups", "--group-ids", controlPlane, "--query",
                "SecurityGroups[0].IpPermissions[].[IpProtocol,FromPort,ToPort,join(',',IpRanges[].CidrIp),"
                        + "join(',',UserIdGroupPairs[].GroupId)]");
        assertTrue(cpRules.contains("tcp\t22\t22\t0.0.0.0/0"), cpRules);
        assertTrue(cpRules.contains("tcp\t6443\t6443\t"), cpRules);
        assertTrue(cpRules.contains(nodes) && cpRules.contains(controlPlane), cpRules);
        String nodeRules = aws("ec2", "describe-security-groups", "--group-ids", nodes, "--query",
                "SecurityGroups[0].IpPermissions[].[IpProtocol,join(',',IpRanges[].CidrIp),join(',',UserIdGroupPairs[].GroupId)]");
        assertTrue(nodeRules.contains(controlPlane), nodeRules);
        assertFalse(nodeRules.contains("6443"), "nodes do not expose the API port\n" + nodeRules);

        assertEquals("/tug/", aws("iam", "get-role", "--role-name", "nodes.c1.example.com", "--query", "Role.Path"));
        String policy = aws("iam", "get-role-policy", "--role-name", "nodes.c1.example.com", "--policy-name",
                "nodes.c1.example.com", "--query", "PolicyDocument.Statement[0].Action");
        assertEquals("ec2:DescribeInstances\tec2:DescribeRegions", policy, "least privilege");
        assertEquals("control-plane.c1.example.com", aws("iam", "get-instance-profile", "--instance-profile-name",
                "control-plane.c1.example.com", "--query", "InstanceProfile.Roles[0].RoleName"));
        String keyName = aws("ec2", "describe-key-pairs", "--filters", owned("c1.example.com"), "--query",
                "KeyPairs[0].KeyName");
        assertTrue(keyName.startsWith("tug-c1.example.com-"), keyName);

        String template = aws("ec2", "describe-launch-template-versions", "--launch-template-name",
                "control-plane-us-east-1a.c1.example.com", "--versions", "$Latest", "--query",
                "LaunchTemplateVersions[0].LaunchTemplateData.[ImageId,InstanceType,KeyName,SecurityGroupIds[0],"
                        + "IamInstanceProfile.Arn]");
        assertTrue(template.startsWith(NEWEST_NOBLE + "\tt3.medium\t" + keyName + "\t" + controlPlane + "\t"), template);
        assertTrue(template.endsWith("instance-profile/tug/control-plane.c1.example.com"), template);

        String groups = aws("autoscaling", "describe-auto-scaling-groups", "--query",
                "sort_by(AutoScalingGroups[?contains(AutoScalingGroupName,'c1.example.com')],&AutoScalingGroupName)[].[AutoScalingGroupName,MinSize,MaxSize,"
                        + "LaunchTemplate.LaunchTemplateName,length(TargetGroupARNs)]");
        assertEquals(String.join("\n",
                "control-plane-us-east-1a.c1.example.com\t1\t1\tcontrol-plane-us-east-1a.c1.example.com\t1",
                "nodes-us-east-1a.c1.example.com\t1\t1\tnodes-us-east-1a.c1.example.com\t0",
                "nodes-us-east-1b.c1.example.com\t1\t1\tnodes-us-east-1b.c1.example.com\t0"), groups);

        String balancer = aws("elbv2", "describe-load-balancers", "--names", "api-c1-example-com", "--query",
                "LoadBalancers[0].[Type,Scheme,LoadBalancerArn]");
        assertTrue(balancer.startsWith("network\tinternet-facing\t"), balancer);
        String targetGroup = aws("elbv2", "describe-target-groups", "--names", "api-c1-example-com", "--query",
                "TargetGroups[0].[Protocol,Port,VpcId,TargetGroupArn]");
        assertTrue(targetGroup.startsWith("TCP\t6443\t" + vpc + "\t"), targetGroup);
        assertEquals("TCP\t6443\t" + targetGroup.split("\t")[3], aws("elbv2", "describe-listeners",
                "--load-balancer-arn", balancer.split("\t")[2], "--query",
                "Listeners[0].[Protocol,Port,DefaultActions[0].TargetGroupArn]"));
    }

    private void deleteWaitsForForeignDependenciesAndTouchesNothingElse() {
        String vpc = aws("ec2", "describe-vpcs", "--filters", owned("c1.example.com"), "--query", "Vpcs[0].VpcId");
        // someone else's subnet in the cluster's VPC, and a security group only shared with the cluster
        String foreign = aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "172.20.200.0/24", "--query",
                "Subnet.SubnetId");
        String shared = aws("ec2", "create-security-group", "--group-name", "shared", "--description", "shared",
                "--vpc-id", vpc, "--tag-specifications", "ResourceType=security-group,Tags=[{Key=kubernetes.io/cluster/"
                        + "c1.example.com,Value=shared}]", "--query", "GroupId");

        Result listing = ok("delete", "cluster", "c1.example.com");
        assertTrue(listing.out().contains("TYPE "), listing::toString);
        assertTrue(Pattern.compile("(?m)^VPC +c1\\.example\\.com +" + vpc + "$").matcher(listing.out()).find(),
                listing::toString);
        assertTrue(listing.out().contains("Must specify --yes to delete cluster"), listing::toString);
        assertFalse(listing.out().contains(foreign) || listing.out().contains(shared), listing::toString);
        assertEquals(vpc, aws("ec2", "describe-vpcs", "--filters", owned("c1.example.com"), "--query", "Vpcs[0].VpcId"));

        Result blocked = tug("delete", "cluster", "c1.example.com", "--yes", "--max-wait", "3s");
        assertEquals(1, blocked.exit(), blocked::toString);
        assertTrue(blocked.err().contains("VPC c1.example.com (" + vpc + ") still has dependencies, will retry"),
                blocked::toString);
        assertTrue(blocked.err().contains("Error: could not delete 1 resource(s); the cluster's state is kept"),
                blocked::toString);
        assertTrue(Files.exists(stateDir().resolve("c1.example.com/config")), "state kept for a re-run");
        assertEquals(foreign, aws("ec2", "describe-subnets", "--subnet-ids", foreign, "--query", "Subnets[0].SubnetId"));

        aws("ec2", "delete-subnet", "--subnet-id", foreign);
        aws("ec2", "delete-security-group", "--group-id", shared);
        Result deleted = ok("delete", "cluster", "c1.example.com", "--yes");
        assertTrue(deleted.out().contains("Deleted cluster: c1.example.com"), deleted::toString);
        assertNothingTagged("c1.example.com");
        assertFalse(Files.exists(stateDir().resolve("c1.example.com/config")));
    }

    @Test
    void aFailureMidwayLeavesAStateThatConvergesOnReRun() {
        // a role by the name tug wants, but not the cluster's: tug must refuse it and leave it alone
        aws("iam", "create-role", "--role-name", "nodes.c2.example.com", "--assume-role-policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        create("c2.example.com", "--zones", "us-east-1a");

        Result failed = tug("update", "cluster", "c2.example.com", "--yes", "--phase", "cloud");
        assertEquals(1, failed.exit(), failed::toString);
        assertTrue(failed.err().contains("IAMRole/nodes.c2.example.com: IAM role nodes.c2.example.com exists but is not"
                + " tagged as owned by cluster c2.example.com"), failed::toString);
        assertTrue(failed.err().contains("AutoScalingGroup/nodes-us-east-1a.c2.example.com: not attempted because"
                + " IAMRole/nodes.c2.example.com failed"), failed::toString);
        assertTrue(failed.err().contains("Error: 5 of 22 resources failed; the others are done."), failed::toString);
        assertFalse(aws("ec2", "describe-vpcs", "--filters", owned("c2.example.com"), "--query", "Vpcs[].VpcId")
                .isEmpty(), "independent resources were made");
        assertEquals("", aws("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names",
                "nodes-us-east-1a.c2.example.com", "--query", "AutoScalingGroups[].AutoScalingGroupName"));
        assertEquals("", aws("iam", "list-role-tags", "--role-name", "nodes.c2.example.com", "--query", "Tags[].Key"),
                "the foreign role was not touched");

        aws("iam", "delete-role", "--role-name", "nodes.c2.example.com");
        Result resumed = ok("update", "cluster", "c2.example.com", "--yes", "--phase", "cloud");
        assertTrue(resumed.out().contains("(5 created, 0 changed)"), resumed::toString);
        Result settled = ok("update", "cluster", "c2.example.com", "--yes", "--phase", "cloud", "-v");
        assertTrue(settled.out().contains("No changes need to be applied"), settled::toString);
        assertTrue(settled.err().contains("(0 changing)"), settled::toString);

        ok("delete", "cluster", "c2.example.com", "--yes");
        assertNothingTagged("c2.example.com");
    }

    @Test
    void createWithYesMakesTheCloudResources() {
        Result created = ok("create", "cluster", "c3.example.com", "--cloud", "aws", "--zones", "us-east-1c", "--yes");
        assertTrue(created.out().contains("Cloud resources of cluster c3.example.com are ready (22 created, 0 changed)"),
                created::toString);
        assertTrue(created.err().contains("Phases bootstrap and addons: this version of tug does not yet set up"
                + " machines in aws"), created::toString);
        assertEquals("us-east-1c", aws("ec2", "describe-subnets", "--filters", owned("c3.example.com"), "--query",
                "Subnets[0].AvailabilityZone"));
        ok("delete", "cluster", "c3.example.com", "--yes");
        assertNothingTagged("c3.example.com");
    }

    @Test
    void badInputIsOneLineAndChangesNothing() {
        create("zone.example.com", "--zones", "us-east-1z");
        assertOneLineError(tug("update", "cluster", "zone.example.com", "--yes", "--phase", "cloud"),
                "Error: zone us-east-1z (subnet us-east-1z) does not exist in region us-east-1; its zones are"
                        + " us-east-1a, us-east-1b");
        create("type.example.com", "--zones", "us-east-1a", "--node-size", "t3.nope");
        assertOneLineError(tug("update", "cluster", "type.example.com"),
                "Error: instance type t3.nope (instance group nodes-us-east-1a) does not exist in region us-east-1");
        assertOneLineError(tug("update", "cluster", "type.example.com", "--yes", "--phase", "bootstrap"),
                "Error: --phase bootstrap for aws clusters comes in a later version of tug");

        Map<String, String> saved = Map.copyOf(env);
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        assertOneLineError(tug("update", "cluster", "type.example.com"), "Error: no AWS credentials found: set"
                + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
        env.putAll(saved);
        assertNothingTagged("zone.example.com");
        assertNothingTagged("type.example.com");

        // 60 CIDRs for SSH and the API exceed a security group's rule quota midway; delete still cleans up
        String cidrs = IntStream.range(0, 60).mapToObj(i -> "10.9." + i + ".0/24").collect(Collectors.joining(","));
        create("quota.example.com", "--zones", "us-east-1a", "--admin-access", cidrs);
        Result quota = tug("update", "cluster", "quota.example.com", "--yes", "--phase", "cloud");
        assertEquals(1, quota.exit(), quota::toString);
        assertTrue(quota.err().contains("SecurityGroupRules/control-plane.quota.example.com: AWS quota reached"
                + " (RulesPerSecurityGroupLimitExceeded)"), quota::toString);
        ok("delete", "cluster", "quota.example.com", "--yes");
        assertNothingTagged("quota.example.com");
    }

    private void assertOneLineError(Result result, String start) {
        assertEquals(1, result.exit(), result::toString);
        List<String> errors = Arrays.stream(result.err().split("\n")).filter(l -> l.startsWith("Error: ")).toList();
        assertEquals(1, errors.size(), result::toString);
        assertTrue(errors.get(0).startsWith(start), result::toString);
        assertFalse(result.err().contains("\tat "), "no stack trace\n" + result);
    }

    /** Nothing tagged as owned by the cluster is left in any service, and no IAM object under tug's path. */
    private void assertNothingTagged(String cluster) {
        String filter = owned(cluster);
        assertEquals("", aws("ec2", "describe-vpcs", "--filters", filter, "--query", "Vpcs[].VpcId"));
        assertEquals("", aws("ec2", "describe-subnets", "--filters", filter, "--query", "Subnets[].SubnetId"));
        assertEquals("", aws("ec2", "describe-security-groups", "--filters", filter, "--query", "SecurityGroups[].GroupId"));
        assertEquals("", aws("ec2", "describe-internet-gateways", "--filters", filter, "--query",
                "InternetGateways[].InternetGatewayId"));
        assertEquals("", aws("ec2", "describe-route-tables", "--filters", filter, "--query", "RouteTables[].RouteTableId"));
        assertEquals("", aws("ec2", "describe-key-pairs", "--filters", filter, "--query", "KeyPairs[].KeyName"));
        assertEquals("", aws("ec2", "describe-launch-templates", "--filters", filter, "--query",
                "LaunchTemplates[].LaunchTemplateName"));
        assertEquals("", aws("ec2", "describe-instances", "--filters", filter,
                "Name=instance-state-name,Values=pending,running,stopping,stopped", "--query",
                "Reservations[].Instances[].InstanceId"));
        String groups = aws("autoscaling", "describe-auto-scaling-groups", "--query",
                "AutoScalingGroups[].AutoScalingGroupName");
        assertFalse(groups.contains(cluster), groups);
        String balancers = aws("elbv2", "describe-load-balancers", "--query", "LoadBalancers[].LoadBalancerName");
        assertFalse(balancers.contains(cluster.replace('.', '-')), balancers);
        String targets = aws("elbv2", "describe-target-groups", "--query", "TargetGroups[].TargetGroupName");
        assertFalse(targets.contains(cluster.replace('.', '-')), targets);
        String iam = aws("iam", "list-roles", "--path-prefix", "/tug/", "--query", "Roles[].RoleName") + " "
                + aws("iam", "list-instance-profiles", "--path-prefix", "/tug/", "--query",
                "InstanceProfiles[].InstanceProfileName");
        assertFalse(iam.contains(cluster), iam);
    }

    /** Edits an instance group through `tug edit` with a sed script as $EDITOR, as an operator would. */
    private void editInstanceGroup(String cluster, String group, String sed) throws IOException {
        Path editor = home.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i '" + sed + "' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        env.put("EDITOR", editor.toString());
        ok("edit", "ig", cluster, group);
        env.remove("EDITOR");
    }
}
