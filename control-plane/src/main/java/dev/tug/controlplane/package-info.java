/**
 * The Kubernetes-compatible control plane: API server, object store, controllers, scheduler, dashboard.
 */
package dev.tug.controlplane;
