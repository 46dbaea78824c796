package dev.tug.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineTest {

    /** A failure the fake cloud says will pass (throttling). */
    static final class Throttled extends RuntimeException {
        Throttled(String message) {
            super(message);
        }
    }

    /** An in-memory cloud: resources by key, each with an id and its fields. */
    static final class FakeCloud {
        final Map<String, String> ids = new ConcurrentHashMap<>();
        final Map<String, Map<String, String>> fields = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger applies = new AtomicInteger();
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<Change>> changesPassed = new ConcurrentHashMap<>();
        private final AtomicInteger sequence = new AtomicInteger();

        /** Puts a live resource in, as if made earlier. */
        FakeCloud existing(String key, String id, Map<String, String> values) {
            ids.put(key, id);
            fields.put(key, new LinkedHashMap<>(values));
            return this;
        }

        String newId(String type) {
            return type.toLowerCase() + "-" + sequence.incrementAndGet();
        }
    }

    /** A task over the fake cloud; desired fields are computed from the context so references can be checked. */
    static class FakeTask implements Task {
        final FakeCloud cloud;
        final String type;
        final String name;
        final List<String> dependsOn;
        final Function<TaskContext, Fields> desired;
        final List<String> requiredIds = new CopyOnWriteArrayList<>();

        FakeTask(FakeCloud cloud, String key, Function<TaskContext, Fields> desired, String... dependsOn) {
            String[] parts = key.split("/", 2);
            this.cloud = cloud;
            this.type = parts[0];
            this.name = parts[1];
            this.desired = desired;
            this.dependsOn = List.of(dependsOn);
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> dependsOn() {
            return dependsOn;
        }

        @Override
        public Optional<Found> find(TaskContext context) throws Exception {
            cloud.finds.incrementAndGet();
            String id = cloud.ids.get(key());
            if (id == null) {
                return Optional.empty();
            }
            Fields live = new Fields();
            cloud.fields.get(key()).forEach(live::put);
            return Optional.of(new Found(id, live));
        }

        @Override
        public Fields desired(TaskContext context) {
            return desired.apply(context);
        }

        @Override
        public String apply(TaskContext context, Found live, List<Change> changes) throws Exception {
            cloud.applies.incrementAndGet();
            for (String dependency : dependsOn) {
                // what a real task does to fill in a reference; throws when the dependency is not made yet
                requiredIds.add(context.require(dependency));
            }
            cloud.applied.add(key());
            if (live == null) {
                String id = cloud.newId(type);
                cloud.fields.put(key(), new LinkedHashMap<>(desired(context).asMap()));
                cloud.ids.put(key(), id);
                return id;
            }
            cloud.changesPassed.put(key(), List.copyOf(changes));
            Map<String, String> values = cloud.fields.get(key());
            changes.forEach(change -> values.put(change.field(), change.to()));
            return live.id();
        }
    }

    private final List<String> log = new CopyOnWriteArrayList<>();

    private Engine engine(int threads) {
        return new Engine(threads, new Retry(Duration.ofSeconds(5), e -> e instanceof Throttled, log::add), log::add);
    }

    private static Fields vpcFields(TaskContext context) {
        return new Fields().put("cidr", "10.0.0.0/16").put("name", "main");
    }

    private static Function<TaskContext, Fields> inside(String dependency, String referenceField, String cidr) {
        return context -> new Fields().put(referenceField, context.ref(dependency)).put("cidr", cidr);
    }

    private static Outcome outcome(Engine.Result result, String key) {
        return result.outcomes().stream().filter(o -> o.task().key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no outcome for " + key));
    }

    private static List<String> keys(Engine.Result result) {
        return result.outcomes().stream().map(o -> o.task().key()).toList();
    }

    // ---------------------------------------------------------------- dry run

    @Test
    void dryRunFindsAndComparesButCreatesNothing() {
        FakeCloud cloud = new FakeCloud()
                .existing("VPC/main", "vpc-1", Map.of("cidr", "10.0.0.0/16", "name", "main"))
                .existing("SecurityGroup/web", "sg-1", Map.of("vpc", "vpc-1", "ports", "22, 80", "extra", "ignored"));
        FakeTask vpc = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields);
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");
        FakeTask instance = new FakeTask(cloud, "Instance/web",
                context -> new Fields().put("subnet", context.ref("Subnet/a")).put("type", "t3.small"), "Subnet/a");
        FakeTask group = new FakeTask(cloud, "SecurityGroup/web",
                context -> new Fields().put("vpc", context.ref("VPC/main")).putSet("ports", List.of(443, 80, 22)),
                "VPC/main");

        Engine.Result result = engine(4).run(new TaskGraph(List.of(instance, group, subnet, vpc)), false);

        // nothing made or changed
        assertEquals(0, cloud.applies.get());
        assertEquals(2, cloud.ids.size());
        assertEquals(Map.of("vpc", "vpc-1", "ports", "22, 80", "extra", "ignored"), cloud.fields.get("SecurityGroup/web"));
        assertEquals(4, cloud.finds.get());

        assertEquals(4, result.outcomes().size());
        assertTrue(result.failures().isEmpty(), () -> result.failures().toString());
        assertTrue(result.changes());

        Outcome vpcOutcome = outcome(result, "VPC/main");
        assertEquals(Outcome.Action.NONE, vpcOutcome.action());
        assertEquals("vpc-1", vpcOutcome.id());
        assertEquals(List.of(), vpcOutcome.changes());

        Outcome subnetOutcome = outcome(result, "Subnet/a");
        assertEquals(Outcome.Action.CREATE, subnetOutcome.action());
        assertNull(subnetOutcome.id());
        assertEquals("vpc-1", subnetOutcome.desired().get("vpc"), "an existing dependency is referred to by its id");

        Outcome instanceOutcome = outcome(result, "Instance/web");
        assertEquals(Outcome.Action.CREATE, instanceOutcome.action());
        assertEquals("<new Subnet/a>", instanceOutcome.desired().get("subnet"),
                "a dependency still to be created is shown as a marker");

        Outcome groupOutcome = outcome(result, "SecurityGroup/web");
        assertEquals(Outcome.Action.MODIFY, groupOutcome.action());
        assertEquals("sg-1", groupOutcome.id());
        assertEquals(List.of(new Change("ports", "22, 80", "22, 443, 80")), groupOutcome.changes());

        // outcomes come in dependency order
        List<String> order = keys(result);
        assertTrue(order.indexOf("VPC/main") < order.indexOf("Subnet/a"));
        assertTrue(order.indexOf("Subnet/a") < order.indexOf("Instance/web"));
        assertTrue(order.indexOf("VPC/main") < order.indexOf("SecurityGroup/web"));

        // the dry run never prints progress
        assertTrue(log.stream().noneMatch(line -> line.startsWith("Tasks:")), log::toString);
        assertTrue(log.stream().noneMatch(line -> line.startsWith("Created") || line.startsWith("Changed")),
                log::toString);
    }

    @Test
    void dryRunOfAnEmptyCloudMarksEveryReferenceAsNew() {
        FakeCloud cloud = new FakeCloud();
        FakeTask vpc = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields);
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");

        Engine.Result result = engine(2).run(new TaskGraph(List.of(vpc, subnet)), false);

        assertEquals(List.of(Outcome.Action.CREATE, Outcome.Action.CREATE),
                result.outcomes().stream().map(Outcome::action).toList());
        assertEquals("<new VPC/main>", outcome(result, "Subnet/a").desired().get("vpc"));
        assertTrue(cloud.ids.isEmpty());
        assertEquals(0, cloud.applies.get());
    }

    @Test
    void dryRunResultPrintsAsAReport() {
        FakeCloud cloud = new FakeCloud()
                .existing("Group/nodes", "asg-1", Map.of("minSize", "2", "maxSize", "5"));
        FakeTask vpc = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields);
        FakeTask group = new FakeTask(cloud, "Group/nodes",
                context -> new Fields().put("minSize", 3).put("maxSize", 5));

        Engine.Result result = engine(2).run(new TaskGraph(List.of(vpc, group)), false);
        StringWriter text = new StringWriter();
        Report.print(result, new PrintWriter(text, true));

        String report = text.toString();
        assertTrue(report.contains("Will create resources:\n  VPC/main\n    cidr  10.0.0.0/16\n    name  main\n"),
                report);
        assertTrue(report.contains("Will modify resources:\n  Group/nodes\n    minSize: 2 -> 3\n"), report);
    }

    // ---------------------------------------------------------------- apply

    @Test
    void applyCreatesInDependencyOrderAndASecondRunChangesNothing() {
        FakeCloud cloud = new FakeCloud();
        FakeTask vpc = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields);
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");
        FakeTask instance = new FakeTask(cloud, "Instance/web",
                context -> new Fields().put("subnet", context.ref("Subnet/a")).put("type", "t3.small"), "Subnet/a");
        TaskGraph graph = new TaskGraph(List.of(instance, subnet, vpc));

        Engine.Result first = engine(4).run(graph, true);

        assertTrue(first.failures().isEmpty(), () -> first.failures().toString());
        assertEquals(List.of("VPC/main", "Subnet/a", "Instance/web"), cloud.applied);
        assertEquals(3, cloud.applies.get());
        String vpcId = cloud.ids.get("VPC/main");
        String subnetId = cloud.ids.get("Subnet/a");
        assertEquals(List.of(vpcId), subnet.requiredIds, "the subnet's apply saw the VPC's id");
        assertEquals(List.of(subnetId), instance.requiredIds, "the instance's apply saw the subnet's id");
        assertEquals(vpcId, cloud.fields.get("Subnet/a").get("vpc"), "created with the real id, not a marker");
        assertEquals(subnetId, cloud.fields.get("Instance/web").get("subnet"));
        assertEquals(List.of(Outcome.Action.CREATE, Outcome.Action.CREATE, Outcome.Action.CREATE),
                first.outcomes().stream().map(Outcome::action).toList());
        assertEquals(vpcId, outcome(first, "VPC/main").id());
        assertEquals(subnetId, outcome(first, "Subnet/a").id());
        assertTrue(log.contains("Created VPC/main (" + vpcId + ")"), log::toString);
        assertEquals("Tasks: 3 done / 3 total", log.get(log.size() - 1));

        log.clear();
        Engine.Result second = engine(4).run(graph, true);

        assertEquals(3, cloud.applies.get(), "a second run makes no apply calls");
        assertTrue(second.outcomes().stream().allMatch(o -> o.action() == Outcome.Action.NONE),
                () -> second.outcomes().toString());
        assertFalse(second.changes());
        assertEquals(subnetId, outcome(second, "Subnet/a").id());
        assertEquals(List.of("Tasks: 3 done / 3 total"), log);
    }

    @Test
    void applyModifiesPassingExactlyTheChangedFields() {
        FakeCloud cloud = new FakeCloud()
                .existing("Group/nodes", "asg-1", Map.of("minSize", "2", "maxSize", "5", "image", "img-1",
                        "unmanaged", "x"));
        FakeTask group = new FakeTask(cloud, "Group/nodes",
                context -> new Fields().put("minSize", 3).put("maxSize", 5).put("image", "img-2"));

        Engine.Result result = engine(2).run(new TaskGraph(List.of(group)), true);

        List<Change> expected = List.of(new Change("minSize", "2", "3"), new Change("image", "img-1", "img-2"));
        Outcome outcome = outcome(result, "Group/nodes");
        assertEquals(Outcome.Action.MODIFY, outcome.action());
        assertEquals(expected, outcome.changes());
        assertEquals("asg-1", outcome.id());
        assertEquals(expected, cloud.changesPassed.get("Group/nodes"));
        assertEquals(1, cloud.applies.get());
        assertEquals(Map.of("minSize", "3", "maxSize", "5", "image", "img-2", "unmanaged", "x"),
                cloud.fields.get("Group/nodes"));
        assertTrue(log.contains("Changed Group/nodes (asg-1): minSize: 2 -> 3; image: img-1 -> img-2"),
                log::toString);

        Engine.Result again = engine(2).run(new TaskGraph(List.of(group)), true);
        assertEquals(Outcome.Action.NONE, outcome(again, "Group/nodes").action());
        assertEquals(1, cloud.applies.get());
    }

    @Test
    void independentTasksRunConcurrently() {
        FakeCloud cloud = new FakeCloud();
        // each find waits for the other: run one after the other, the first would time out and fail
        CyclicBarrier both = new CyclicBarrier(2);
        class Meeting extends FakeTask {
            Meeting(FakeCloud in, String key) {
                super(in, key, context -> new Fields().put("name", key));
            }

            @Override
            public Optional<Found> find(TaskContext context) throws Exception {
                both.await(5, TimeUnit.SECONDS);
                return super.find(context);
            }
        }
        FakeTask dependent = new FakeTask(cloud, "Subnet/after",
                inside("Bucket/one", "bucket", "10.0.0.0/24"), "Bucket/one", "Bucket/two");

        Engine.Result result = engine(2).run(
                new TaskGraph(List.of(new Meeting(cloud, "Bucket/one"), new Meeting(cloud, "Bucket/two"), dependent)), true);

        assertTrue(result.failures().isEmpty(), () -> result.failures().toString());
        assertEquals(3, cloud.ids.size());
        assertEquals("Subnet/after", cloud.applied.get(2));
    }

    @Test
    void aFailedTaskSkipsItsDependentsButNotIndependentTasks() {
        FakeCloud cloud = new FakeCloud();
        AtomicInteger attempts = new AtomicInteger();
        FakeTask broken = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields) {
            @Override
            public String apply(TaskContext context, Found live, List<Change> changes) {
                attempts.incrementAndGet();
                throw new IllegalStateException("VpcLimitExceeded: too many VPCs\nrequest id 1234");
            }
        };
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");
        FakeTask bucket = new FakeTask(cloud, "Bucket/logs", context -> new Fields().put("name", "logs"));

        Engine.Result result = engine(2).run(new TaskGraph(List.of(broken, subnet, bucket)), true);

        assertEquals(1, attempts.get(), "a failure that does not pass is not retried");
        Outcome failed = outcome(result, "VPC/main");
        assertEquals(Outcome.Action.FAILED, failed.action());
        assertEquals("VpcLimitExceeded: too many VPCs", failed.error());

        Outcome skipped = outcome(result, "Subnet/a");
        assertEquals(Outcome.Action.SKIPPED, skipped.action());
        assertTrue(skipped.error().contains("VPC/main") && skipped.error().contains("failed"), skipped.error());
        assertFalse(cloud.ids.containsKey("Subnet/a"));
        assertTrue(cloud.applied.stream().noneMatch("Subnet/a"::equals));

        assertEquals(Outcome.Action.CREATE, outcome(result, "Bucket/logs").action());
        assertTrue(cloud.ids.containsKey("Bucket/logs"), "the independent task still completed");

        assertEquals(List.of("VPC/main", "Subnet/a"),
                result.failures().stream().map(o -> o.task().key()).toList());
        assertEquals("Tasks: 3 done / 3 total", log.get(log.size() - 1));
    }

    /** A VPC whose lookup the cloud refuses. */
    private static FakeTask unreadableVpc(FakeCloud cloud) {
        return new FakeTask(cloud, "VPC/main", EngineTest::vpcFields) {
            @Override
            public Optional<Found> find(TaskContext context) {
                throw new IllegalStateException("UnauthorizedOperation");
            }
        };
    }

    @Test
    void aTransitivelySkippedTaskNamesTheTaskThatActuallyFailed() {
        FakeCloud cloud = new FakeCloud();
        FakeTask broken = unreadableVpc(cloud);
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");
        FakeTask instance = new FakeTask(cloud, "Instance/web",
                context -> new Fields().put("subnet", context.ref("Subnet/a")), "Subnet/a");

        Engine.Result result = engine(2).run(new TaskGraph(List.of(broken, subnet, instance)), true);

        Outcome skipped = outcome(result, "Instance/web");
        assertEquals(Outcome.Action.SKIPPED, skipped.action());
        assertTrue(skipped.error().contains("VPC/main"), skipped.error());
    }

    @Test
    void aFailedFindFailsTheTaskInADryRunToo() {
        FakeCloud cloud = new FakeCloud();
        FakeTask broken = unreadableVpc(cloud);
        FakeTask subnet = new FakeTask(cloud, "Subnet/a", inside("VPC/main", "vpc", "10.0.1.0/24"), "VPC/main");

        Engine.Result result = engine(2).run(new TaskGraph(List.of(broken, subnet)), false);

        assertEquals(Outcome.Action.FAILED, outcome(result, "VPC/main").action());
        assertEquals("UnauthorizedOperation", outcome(result, "VPC/main").error());
        assertEquals(Outcome.Action.SKIPPED, outcome(result, "Subnet/a").action());
        assertEquals(0, cloud.finds.get(), "the skipped task was not even looked up");
        assertTrue(log.stream().noneMatch(line -> line.startsWith("Tasks:")), log::toString);
    }

    // ---------------------------------------------------------------- retry

    @Test
    void aPassingFailureIsRetriedUntilItSucceeds() {
        FakeCloud cloud = new FakeCloud();
        AtomicInteger attempts = new AtomicInteger();
        FakeTask flaky = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields) {
            @Override
            public String apply(TaskContext context, Found live, List<Change> changes) throws Exception {
                if (attempts.incrementAndGet() <= 2) {
                    throw new Throttled("RequestLimitExceeded");
                }
                return super.apply(context, live, changes);
            }
        };

        Engine.Result result = engine(2).run(new TaskGraph(List.of(flaky)), true);

        assertEquals(3, attempts.get());
        assertEquals(Outcome.Action.CREATE, outcome(result, "VPC/main").action());
        assertEquals(cloud.ids.get("VPC/main"), outcome(result, "VPC/main").id());
        assertTrue(log.contains("creating VPC/main: RequestLimitExceeded; retrying in 0.5s"), log::toString);
        assertTrue(log.contains("creating VPC/main: RequestLimitExceeded; retrying in 1.0s"), log::toString);
    }

    @Test
    void aCreateThatFailedAfterItWasMadeIsNotMadeTwice() {
        FakeCloud cloud = new FakeCloud();
        AtomicInteger creates = new AtomicInteger();
        FakeTask timedOut = new FakeTask(cloud, "VPC/main", EngineTest::vpcFields) {
            @Override
            public String apply(TaskContext context, Found live, List<Change> changes) throws Exception {
                if (live == null) {
                    creates.incrementAndGet();
                }
                String id = super.apply(context, live, changes);
                if (creates.get() == 1 && live == null) {
                    throw new Throttled("the answer was lost after the VPC was made");
                }
                return id;
            }
        };

        Engine.Result result = engine(2).run(new TaskGraph(List.of(timedOut)), true);

        assertEquals(1, creates.get(), "the retry looked again and found the VPC");
        assertEquals(1, cloud.ids.size());
        assertEquals(cloud.ids.get("VPC/main"), outcome(result, "VPC/main").id());
    }

    @Test
    void aFailureThatDoesNotPassIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = new Retry(Duration.ofSeconds(5), e -> e instanceof Throttled, log::add);
        long started = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> retry.call("creating X/y", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("InvalidParameterValue");
        }));
        assertEquals("InvalidParameterValue", e.getMessage());
        assertEquals(1, attempts.get());
        assertTrue(log.isEmpty(), log::toString);
        assertTrue(System.nanoTime() - started < 400_000_000L, "no pause before giving up");
    }

    @Test
    void aPassingFailureIsThrownWhenTheNextPauseWouldPassTheLimit() {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = new Retry(Duration.ofMillis(300), e -> e instanceof Throttled, log::add);
        Throttled e = assertThrows(Throttled.class, () -> retry.call("finding X/y", () -> {
            attempts.incrementAndGet();
            throw new Throttled("Throttling");
        }));
        assertEquals("Throttling", e.getMessage());
        assertEquals(1, attempts.get());
    }

    @Test
    void retryReturnsTheValueOfASuccessfulCall() throws Exception {
        Retry retry = new Retry(Duration.ofSeconds(5), e -> true, log::add);
        assertEquals("vpc-9", retry.call("finding VPC/main", () -> "vpc-9"));
        assertTrue(log.isEmpty());
    }
}
