package dev.tug.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FieldsAndReportTest {

    private static Outcome create(String type, String name, Fields desired) {
        return new Outcome(StubTask.of(type + "/" + name), Outcome.Action.CREATE, desired, List.of(), null, null);
    }

    private static Outcome modify(String type, String name, Fields desired, Change... changes) {
        return new Outcome(StubTask.of(type + "/" + name), Outcome.Action.MODIFY, desired, List.of(changes), "id-" + name, null);
    }

    private static Outcome none(String type, String name, Fields desired) {
        return new Outcome(StubTask.of(type + "/" + name), Outcome.Action.NONE, desired, List.of(), "id-" + name, null);
    }

    private static String print(Outcome... outcomes) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Report.print(new Engine.Result(List.of(outcomes)), out);
        out.flush();
        return text.toString();
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    // ---------------------------------------------------------------- Fields

    @Test
    void putSetSortsSoOrderDoesNotMatter() {
        Fields one = new Fields().putSet("zones", List.of("us-east-1c", "us-east-1a", "us-east-1b"));
        Fields other = new Fields().putSet("zones", Set.of("us-east-1b", "us-east-1c", "us-east-1a"));
        assertEquals("us-east-1a, us-east-1b, us-east-1c", one.get("zones"));
        assertEquals(List.of(), one.changesFrom(other));
        assertEquals(List.of(), other.changesFrom(one));
    }

    @Test
    void putSetOfNothingIsEmpty() {
        Fields fields = new Fields().putSet("ports", List.of());
        assertEquals("", fields.get("ports"));
        assertEquals(List.of(), fields.changesFrom(new Fields()));
    }

    @Test
    void putKeepsInsertionOrderAndTurnsNullIntoEmpty() {
        Fields fields = new Fields().put("name", "main").put("cidr", "10.0.0.0/16").put("size", 3).put("tag", null);
        assertEquals(List.of("name", "cidr", "size", "tag"), new ArrayList<>(fields.asMap().keySet()));
        assertEquals("3", fields.get("size"));
        assertEquals("", fields.get("tag"));
        assertEquals("", fields.get("absent"));
        assertThrows(UnsupportedOperationException.class, () -> fields.asMap().put("x", "y"));
    }

    @Test
    void changesFromComparesOnlyTheDesiredFields() {
        Fields desired = new Fields().put("minSize", 3).put("maxSize", 5).put("image", "img-2");
        Fields live = new Fields().put("image", "img-1").put("maxSize", 5).put("minSize", 2)
                .put("createdBy", "someone").put("arn", "arn:aws:x");

        assertEquals(List.of(new Change("minSize", "2", "3"), new Change("image", "img-1", "img-2")),
                desired.changesFrom(live), "in the desired order, and nothing about fields only live has");
    }

    @Test
    void aFieldMissingFromTheLiveObjectIsAChangeFromEmpty() {
        Fields desired = new Fields().put("name", "main").put("description", "");
        List<Change> changes = desired.changesFrom(new Fields());
        assertEquals(List.of(new Change("name", "", "main")), changes);
        assertEquals("name: <none> -> main", changes.get(0).toString());
    }

    @Test
    void changeShowsNoneForEmptyValues() {
        assertEquals("minSize: 2 -> 3", new Change("minSize", "2", "3").toString());
        assertEquals("keyName: old -> <none>", new Change("keyName", "old", "").toString());
    }

    // ---------------------------------------------------------------- Report

    @Test
    void reportListsResourcesToCreateWithTheirNonEmptyFields() {
        String text = print(
                create("VPC", "main", new Fields().put("cidr", "10.0.0.0/16").put("name", "main").put("tags", "")),
                create("Subnet", "a", new Fields().put("vpc", "<new VPC/main>").put("availabilityZone", "us-east-1a")));

        assertEquals(List.of(
                "Will create resources:",
                "  VPC/main",
                "    cidr  10.0.0.0/16",
                "    name  main",
                "",
                "  Subnet/a",
                "    vpc               <new VPC/main>",
                "    availabilityZone  us-east-1a",
                ""), lines(text));
        assertFalse(text.contains("tags"), "empty fields are left out");
        assertFalse(text.contains("Will modify resources:"));
    }

    @Test
    void reportListsChangesFieldByField() {
        Fields desired = new Fields().put("minSize", 3).put("maxSize", 5).put("keyName", "");
        String text = print(
                none("VPC", "main", new Fields().put("cidr", "10.0.0.0/16")),
                modify("AutoScalingGroup", "nodes", desired,
                        new Change("minSize", "2", "3"), new Change("keyName", "ops", "")));

        assertEquals(List.of(
                "Will modify resources:",
                "  AutoScalingGroup/nodes",
                "    minSize: 2 -> 3",
                "    keyName: ops -> <none>",
                ""), lines(text));
    }

    @Test
    void reportPutsCreatesBeforeModifiesAndLeavesOutOtherOutcomes() {
        Outcome failed = new Outcome(StubTask.of("Bucket/broken"), Outcome.Action.FAILED, null, List.of(), null,
                "AccessDenied");
        Outcome skipped = new Outcome(StubTask.of("Object/x"), Outcome.Action.SKIPPED, null, List.of(), null,
                "not attempted because Bucket/broken failed");
        String text = print(
                modify("Group", "nodes", new Fields().put("minSize", 3), new Change("minSize", "2", "3")),
                failed,
                create("VPC", "main", new Fields().put("cidr", "10.0.0.0/16")),
                skipped);

        assertTrue(text.indexOf("Will create resources:") < text.indexOf("Will modify resources:"), text);
        assertTrue(text.contains("  VPC/main\n    cidr  10.0.0.0/16\n"), text);
        assertTrue(text.contains("  Group/nodes\n    minSize: 2 -> 3\n"), text);
        assertFalse(text.contains("Bucket/broken"), text);
        assertFalse(text.contains("Object/x"), text);
    }

    @Test
    void reportPrintsNothingWhenNothingWouldChange() {
        assertEquals("", print(
                none("VPC", "main", new Fields().put("cidr", "10.0.0.0/16")),
                none("Subnet", "a", new Fields().put("vpc", "vpc-1"))));
        assertEquals("", print());
    }

    // ---------------------------------------------------------------- ApiCalls

    @Test
    void readingCallsAreDescribeListAndGet() {
        for (String reading : List.of("ec2.DescribeVpcs", "ec2.DescribeInstances", "iam.ListRoles",
                "autoscaling.DescribeAutoScalingGroups", "iam.GetRole", "sts.GetCallerIdentity", "DescribeSubnets")) {
            assertFalse(ApiCalls.changes(reading), reading);
        }
        for (String changing : List.of("ec2.CreateVpc", "ec2.DeleteVpc", "s3.PutObject", "ec2.ModifyVpcAttribute",
                "ec2.RunInstances", "ec2.TerminateInstances", "iam.AttachRolePolicy", "CreateSubnet")) {
            assertTrue(ApiCalls.changes(changing), changing);
        }
    }

    @Test
    void callsAreCountedByOperation() {
        ApiCalls calls = new ApiCalls();
        assertEquals(0, calls.total());
        assertEquals(0, calls.changing());
        assertEquals(Map.of(), calls.byOperation());

        calls.record("ec2.DescribeVpcs");
        calls.record("ec2.DescribeVpcs");
        calls.record("ec2.DescribeVpcs");
        calls.record("ec2.CreateVpc");
        calls.record("iam.ListRoles");
        calls.record("ec2.DeleteSubnet");
        calls.record("ec2.DeleteSubnet");

        assertEquals(Map.of("ec2.DescribeVpcs", 3L, "ec2.CreateVpc", 1L, "iam.ListRoles", 1L,
                "ec2.DeleteSubnet", 2L), calls.byOperation());
        assertEquals(List.of("ec2.CreateVpc", "ec2.DeleteSubnet", "ec2.DescribeVpcs", "iam.ListRoles"),
                new ArrayList<>(calls.byOperation().keySet()), "sorted by operation");
        assertEquals(7, calls.total());
        assertEquals(3, calls.changing());

        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        calls.print(out);
        out.flush();
        List<String> lines = lines(text.toString());
        assertEquals("Cloud API calls: 7 (3 changing)", lines.get(0));
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("  ec2.CreateVpc ") && lines.get(1).endsWith(" 1"), lines.get(1));
        assertTrue(lines.get(3).startsWith("  ec2.DescribeVpcs ") && lines.get(3).endsWith(" 3"), lines.get(3));
    }

    @Test
    void aNoOpCountsOnlyReadingCalls() {
        ApiCalls calls = new ApiCalls();
        calls.record("ec2.DescribeVpcs");
        calls.record("ec2.DescribeSubnets");
        calls.record("iam.GetInstanceProfile");
        assertEquals(3, calls.total());
        assertEquals(0, calls.changing());
    }

    @Test
    void callsRecordedFromManyThreadsAreAllCounted() throws Exception {
        ApiCalls calls = new ApiCalls();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int thread = 0; thread < 4; thread++) {
                pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        calls.record(i % 2 == 0 ? "ec2.DescribeVpcs" : "ec2.CreateTags");
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(4000, calls.total());
        assertEquals(2000, calls.changing());
        assertEquals(Map.of("ec2.DescribeVpcs", 2000L, "ec2.CreateTags", 2000L), calls.byOperation());
    }
}
