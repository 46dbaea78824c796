/**
 * GCP tasks and resource discovery with the Google Cloud Java client. Filled in by the GCP provisioning work.
 */
package dev.tug.cloud.gcp;
