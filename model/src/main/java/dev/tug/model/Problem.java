package dev.tug.model;

/** One thing wrong with a spec, located by its field path (spec.subnets[0].cidr). */
public record Problem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
