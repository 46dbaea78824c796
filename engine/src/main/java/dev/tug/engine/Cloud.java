package dev.tug.engine;

import java.util.List;

/**
 * One cloud, opened for one cluster: the tasks that make the cluster's resources, and the discovery of what the
 * cluster owns there. Implementations live in the cloud modules.
 */
public interface Cloud extends AutoCloseable {
    /**
     * Checks what the spec names against the cloud (credentials, region, zones, machine types, image) and
     * returns the tasks that make its resources. Throws {@link CloudException} naming what is wrong.
     */
    List<Task> tasks() throws Exception;

    /** Everything tagged as owned by the cluster, whatever the state says. */
    List<OwnedResource> discover() throws Exception;

    /** True for failures worth retrying: throttling, eventual consistency, a server error. */
    boolean passing(Throwable failure);

    /** True when a deletion failed because the resource is already gone (deleted by an earlier attempt). */
    default boolean gone(Throwable failure) {
        return false;
    }

    /** True when a deletion failed because something still uses the resource. */
    boolean inUse(Throwable failure);

    /** A one-line explanation of a cloud failure for the operator (quota, permission, bad value). */
    String explain(Throwable failure);

    ApiCalls calls();

    /** Where clients reach the cluster's API in this cloud (a load balancer's name), once it exists; shown, never dialled. */
    default java.util.Optional<String> apiAddress() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
