package dev.tug.node.runtime.docker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which image names name one image; the others would make the Engine API pull every tag. */
class DockerImageNamesTest {

    @Test
    void tagsAndDigestsAreSeenButARegistryPortIsNotATag() {
        assertTrue(ImagePuller.hasTagOrDigest("busybox:1.36"));
        assertTrue(ImagePuller.hasTagOrDigest("localhost:5000/team/app:v2"));
        assertTrue(ImagePuller.hasTagOrDigest("registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a"));
        assertFalse(ImagePuller.hasTagOrDigest("nginx"));
        assertFalse(ImagePuller.hasTagOrDigest("localhost:5000/team/app"));
    }
}
