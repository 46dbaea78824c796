/**
 * AWS tasks and resource discovery with the AWS SDK for Java v2. Filled in by the AWS provisioning work.
 */
package dev.tug.cloud.aws;
