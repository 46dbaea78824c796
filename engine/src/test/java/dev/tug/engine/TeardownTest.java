package dev.tug.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TeardownTest {

    static final class InUse extends RuntimeException {
        InUse(String message) {
            super(message);
        }
    }

    static final class Throttled extends RuntimeException {
        Throttled(String message) {
            super(message);
        }
    }

    /** The cloud as teardown sees it: which failures pass or mean "in use", and how to explain the rest. */
    static final class FakeCloud implements Cloud {
        final ApiCalls calls = new ApiCalls();

        @Override
        public List<Task> tasks() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<OwnedResource> discover() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean passing(Throwable failure) {
            return failure instanceof Throttled;
        }

        @Override
        public boolean inUse(Throwable failure) {
            return failure instanceof InUse;
        }

        @Override
        public String explain(Throwable failure) {
            return "explained: " + failure.getMessage();
        }

        @Override
        public ApiCalls calls() {
            return calls;
        }

        @Override
        public void close() {
        }
    }

    private final FakeCloud cloud = new FakeCloud();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    /** A resource whose deletion records itself, after running {@code before} (which may throw). */
    private OwnedResource resource(String type, String name, Set<String> after, OwnedResource.Deletion before) {
        String label = type + "/" + name;
        return new OwnedResource(type, name, type.toLowerCase() + "-" + name, after, () -> {
            attempts.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
            before.delete();
            deleted.add(label);
        });
    }

    private OwnedResource resource(String type, String name, String... after) {
        return resource(type, name, Set.of(after), () -> {
        });
    }

    private int attemptsOf(String label) {
        AtomicInteger count = attempts.get(label);
        return count == null ? 0 : count.get();
    }

    private Teardown teardown(Duration limit) {
        return new Teardown(cloud, limit, 4, log::add);
    }

    @Test
    void deletesEachResourceAfterTheTypesItMustFollowAreGone() throws Exception {
        // listed in the worst order: what must go last first
        List<OwnedResource> resources = List.of(
                resource("VPC", "main", "Subnet", "SecurityGroup", "InternetGateway"),
                resource("InternetGateway", "igw", "Instance"),
                resource("Subnet", "a", "Instance"),
                resource("SecurityGroup", "web", "Instance"),
                resource("Subnet", "b", "Instance"),
                resource("Instance", "one"),
                resource("Instance", "two"));

        List<String> failures = teardown(Duration.ofSeconds(10)).run(resources);

        assertEquals(List.of(), failures);
        assertEquals(7, deleted.size(), deleted::toString);
        List<String> order = new ArrayList<>(deleted);
        int lastInstance = Math.max(order.indexOf("Instance/one"), order.indexOf("Instance/two"));
        for (String middle : List.of("Subnet/a", "Subnet/b", "SecurityGroup/web", "InternetGateway/igw")) {
            assertTrue(order.indexOf(middle) > lastInstance, middle + " after the instances: " + order);
        }
        assertEquals("VPC/main", order.get(6), order::toString);
        resources.forEach(r -> assertEquals(1, attemptsOf(r.type() + "/" + r.name()), r.label()));
        assertTrue(log.contains("Deleted VPC main (vpc-main)"), log::toString);
        assertTrue(log.contains("Deleted Instance one (instance-one)"), log::toString);
    }

    @Test
    void resourcesReadyInTheSameRoundAreDeletedConcurrently() throws Exception {
        CyclicBarrier both = new CyclicBarrier(2);
        List<OwnedResource> resources = List.of(
                resource("Instance", "one", Set.of(), () -> both.await(5, TimeUnit.SECONDS)),
                resource("Instance", "two", Set.of(), () -> both.await(5, TimeUnit.SECONDS)));

        List<String> failures = new Teardown(cloud, Duration.ZERO, 2, log::add).run(resources);

        assertEquals(List.of(), failures);
        assertEquals(Set.of("Instance/one", "Instance/two"), Set.copyOf(deleted));
    }

    @Test
    void aResourceStillInUseIsRetriedAndThenDeleted() throws Exception {
        AtomicInteger subnetTries = new AtomicInteger();
        AtomicInteger groupTries = new AtomicInteger();
        List<OwnedResource> resources = List.of(
                resource("VPC", "main", "Subnet", "SecurityGroup"),
                resource("Subnet", "a", Set.of(), () -> {
                    if (subnetTries.incrementAndGet() == 1) {
                        throw new InUse("DependencyViolation: subnet-a has dependencies\nrequest id 42");
                    }
                }),
                resource("SecurityGroup", "web", Set.of(), () -> {
                    if (groupTries.incrementAndGet() == 1) {
                        throw new Throttled("RequestLimitExceeded");
                    }
                }));

        long started = System.nanoTime();
        List<String> failures = teardown(Duration.ofSeconds(10)).run(resources);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(List.of(), failures);
        assertEquals(Set.of("Subnet/a", "SecurityGroup/web"), Set.copyOf(deleted.subList(0, 2)), deleted::toString);
        assertEquals("VPC/main", deleted.get(2), deleted::toString);
        assertEquals(2, subnetTries.get());
        assertEquals(2, groupTries.get());
        assertEquals(1, attemptsOf("VPC/main"), "the VPC waits for the subnet instead of failing on it");
        assertTrue(log.contains("Subnet a (subnet-a) still has dependencies, will retry: "
                + "DependencyViolation: subnet-a has dependencies"), log::toString);
        assertTrue(log.contains("SecurityGroup web (securitygroup-web) still has dependencies, will retry: "
                + "RequestLimitExceeded"), log::toString);
        assertTrue(log.contains("Deleted Subnet a (subnet-a)"), log::toString);
        assertTrue(tookMillis >= 900, "one pause between rounds: " + tookMillis + "ms");
    }

    @Test
    void aFailureThatDoesNotPassIsReportedAndWhatMustFollowItIsNotAttempted() throws Exception {
        List<OwnedResource> resources = List.of(
                resource("VPC", "main", "Subnet"),
                resource("Subnet", "a", "Instance"),
                resource("Instance", "one", Set.of(), () -> {
                    throw new IllegalStateException("UnauthorizedOperation: not allowed");
                }),
                resource("Bucket", "logs"),
                resource("Key", "ops", "Bucket"));

        long started = System.nanoTime();
        List<String> failures = teardown(Duration.ofSeconds(10)).run(resources);

        assertEquals(List.of(
                "Instance one (instance-one): explained: UnauthorizedOperation: not allowed",
                "VPC main (vpc-main): not attempted: what must go first could not be deleted",
                "Subnet a (subnet-a): not attempted: what must go first could not be deleted"), failures);
        assertEquals(List.of("Bucket/logs", "Key/ops"), deleted, "what does not depend on the failure still goes");
        assertEquals(1, attemptsOf("Instance/one"), "not retried");
        assertEquals(0, attemptsOf("Subnet/a"));
        assertEquals(0, attemptsOf("VPC/main"));
        assertTrue(log.stream().noneMatch(line -> line.contains("will retry")), log::toString);
        assertTrue(System.nanoTime() - started < 900_000_000L, "no pause for a failure that does not pass");
    }

    @Test
    void aResourceStillInUseAtTheDeadlineIsReported() throws Exception {
        List<OwnedResource> resources = List.of(
                resource("Subnet", "a", Set.of(), () -> {
                    throw new InUse("DependencyViolation");
                }),
                resource("VPC", "main", "Subnet"));

        List<String> failures = teardown(Duration.ZERO).run(resources);

        assertEquals(List.of(
                "Subnet a (subnet-a): explained: DependencyViolation",
                "VPC main (vpc-main): not attempted: what must go first could not be deleted"), failures);
        assertEquals(1, attemptsOf("Subnet/a"));
        assertEquals(List.of(), deleted);
    }

    @Test
    void nothingToDeleteIsNoFailure() throws Exception {
        assertEquals(List.of(), teardown(Duration.ofSeconds(1)).run(List.of()));
        assertTrue(log.isEmpty());
    }
}
