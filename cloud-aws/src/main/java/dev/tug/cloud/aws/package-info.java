/**
 * AWS with the AWS SDK for Java v2: {@link dev.tug.cloud.aws.AwsCloud} makes a cluster's resources as engine tasks
 * (one class per resource type) and finds, by tag, everything a cluster owns for delete.
 */
package dev.tug.cloud.aws;
