package dev.tug.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cloud's tasks in an order where every task comes after those it depends on; refuses cycles and strays. */
public final class TaskGraph {
    private final List<Task> ordered;

    public TaskGraph(List<Task> tasks) {
        Map<String, Task> byKey = new LinkedHashMap<>();
        for (Task task : tasks) {
            if (byKey.put(task.key(), task) != null) {
                throw new IllegalArgumentException("two tasks for " + task.key());
            }
        }
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<Task>> dependents = new HashMap<>();
        for (Task task : tasks) {
            for (String dependency : task.dependsOn()) {
                if (!byKey.containsKey(dependency)) {
                    throw new IllegalArgumentException(task.key() + " depends on " + dependency + ", which no task makes");
                }
                dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(task);
            }
            waiting.put(task.key(), task.dependsOn().size());
        }
        Deque<Task> ready = new ArrayDeque<>();
        tasks.stream().filter(t -> t.dependsOn().isEmpty()).forEach(ready::add);
        List<Task> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Task task = ready.removeFirst();
            order.add(task);
            for (Task dependent : dependents.getOrDefault(task.key(), List.of())) {
                if (waiting.merge(dependent.key(), -1, Integer::sum) == 0) {
                    ready.addLast(dependent);
                }
            }
        }
        if (order.size() != tasks.size()) {
            List<String> stuck = tasks.stream().map(Task::key).filter(k -> waiting.get(k) > 0).toList();
            throw new IllegalArgumentException("tasks depend on each other in a cycle: " + stuck);
        }
        this.ordered = List.copyOf(order);
    }

    /** Every task after the tasks it depends on. */
    public List<Task> ordered() {
        return ordered;
    }

    public int size() {
        return ordered.size();
    }
}
