/**
 * The node agent: runtimes, probes, logs and the service proxy.
 */
package dev.tug.node;
