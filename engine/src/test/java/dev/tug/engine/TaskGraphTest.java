package dev.tug.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGraphTest {

    /** A task that only has a key and dependencies; the graph never calls the rest. */

    private static List<String> keys(TaskGraph graph) {
        return graph.ordered().stream().map(Task::key).toList();
    }

    @Test
    void ordersDependentsAfterTheirDependencies() {
        // given in the worst order: every dependent before what it depends on
        TaskGraph graph = new TaskGraph(List.of(
                StubTask.of("Instance/web", "Subnet/a", "SecurityGroup/web"),
                StubTask.of("Subnet/a", "VPC/main"),
                StubTask.of("SecurityGroup/web", "VPC/main"),
                StubTask.of("Bucket/logs"),
                StubTask.of("VPC/main")));

        List<String> order = keys(graph);
        assertEquals(5, graph.size());
        assertEquals(5, order.size());
        assertTrue(order.containsAll(List.of("Instance/web", "Subnet/a", "SecurityGroup/web", "Bucket/logs", "VPC/main")));
        assertTrue(order.indexOf("VPC/main") < order.indexOf("Subnet/a"), order::toString);
        assertTrue(order.indexOf("VPC/main") < order.indexOf("SecurityGroup/web"), order::toString);
        assertTrue(order.indexOf("Subnet/a") < order.indexOf("Instance/web"), order::toString);
        assertTrue(order.indexOf("SecurityGroup/web") < order.indexOf("Instance/web"), order::toString);
    }

    @Test
    void everyTaskOfAnOrderedGraphComesAfterAllItsDependencies() {
        List<Task> tasks = List.of(
                StubTask.of("T/e", "T/d", "T/b"),
                StubTask.of("T/d", "T/c"),
                StubTask.of("T/c", "T/a", "T/b"),
                StubTask.of("T/b", "T/a"),
                StubTask.of("T/a"));
        TaskGraph graph = new TaskGraph(tasks);
        List<String> order = keys(graph);
        for (Task task : graph.ordered()) {
            for (String dependency : task.dependsOn()) {
                assertTrue(order.indexOf(dependency) < order.indexOf(task.key()),
                        task.key() + " before " + dependency + " in " + order);
            }
        }
        assertEquals(List.of("T/a", "T/b", "T/c", "T/d", "T/e"), order);
    }

    @Test
    void rejectsACycleNamingItsTasks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskGraph(List.of(
                StubTask.of("T/free"),
                StubTask.of("T/a", "T/b"),
                StubTask.of("T/b", "T/c"),
                StubTask.of("T/c", "T/a"))));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("T/a"), e.getMessage());
        assertTrue(e.getMessage().contains("T/b"), e.getMessage());
        assertTrue(e.getMessage().contains("T/c"), e.getMessage());
        assertFalse(e.getMessage().contains("T/free"), e.getMessage());
    }

    @Test
    void rejectsATaskThatDependsOnItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TaskGraph(List.of(StubTask.of("T/self", "T/self"))));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("T/self"), e.getMessage());
    }

    @Test
    void rejectsADependencyNoTaskMakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskGraph(List.of(
                StubTask.of("VPC/main"),
                StubTask.of("Subnet/a", "VPC/other"))));
        assertEquals("Subnet/a depends on VPC/other, which no task makes", e.getMessage());
    }

    @Test
    void rejectsTwoTasksWithTheSameKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskGraph(List.of(
                StubTask.of("VPC/main"),
                StubTask.of("Subnet/a", "VPC/main"),
                StubTask.of("VPC/main"))));
        assertEquals("two tasks for VPC/main", e.getMessage());
    }

    @Test
    void anEmptyGraphHasNoTasks() {
        TaskGraph graph = new TaskGraph(List.of());
        assertEquals(0, graph.size());
        assertTrue(graph.ordered().isEmpty());
    }
}
