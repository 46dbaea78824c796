/**
 * Provisioning engine: tasks with find / diff / apply, the task DAG executor, the dry-run report and the Cloud SPI. Filled in by the update-cluster work.
 */
package dev.tug.engine;
