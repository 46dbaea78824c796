/**
 * Provisioning engine: tasks with find / diff / apply ({@link dev.tug.engine.Task}), the DAG executor
 * ({@link dev.tug.engine.Engine}), the dry-run {@link dev.tug.engine.Report}, the ordered deletion of owned
 * resources ({@link dev.tug.engine.Teardown}) and the {@link dev.tug.engine.Cloud} SPI the cloud modules implement.
 */
package dev.tug.engine;
