package dev.tug.cloud.aws;

/** A machine image: its id, and the device its root disk is attached as. */
record Image(String id, String name, String rootDevice) {
}
