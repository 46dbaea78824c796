package dev.tug.engine;

import java.util.List;
import java.util.Optional;

/**
 * One cloud resource the cluster owns. The engine finds it, compares it with what the spec wants and, when
 * allowed, creates or changes it. Tasks name the tasks they need (whose ids they refer to) and run after them.
 */
public interface Task {
    /** The kind of resource, as the report and the delete table show it: VPC, Subnet, AutoScalingGroup. */
    String type();

    /** The resource's name, unique within its type for this cluster. */
    String name();

    default String key() {
        return type() + "/" + name();
    }

    /** Keys of the tasks whose resources this one refers to. */
    List<String> dependsOn();

    /** Looks the live object up (by tags or name); read-only. Empty when it does not exist. */
    Optional<Found> find(TaskContext context) throws Exception;

    /** The fields the spec wants, references to other resources resolved through the context. */
    Fields desired(TaskContext context);

    /**
     * Makes the resource what {@link #desired} says: creates it when {@code live} is null, otherwise applies
     * the given changes. Returns the resource's id.
     */
    String apply(TaskContext context, Found live, List<Change> changes) throws Exception;
}
