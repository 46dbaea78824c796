package dev.tug.node.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.tug.node.runtime.ContainerFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes an image present as {@code imagePullPolicy} says; a failed pull is Kubernetes' {@code ErrImagePull}. */
final class ImagePuller {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final DockerClient requests;
    private final DockerClient streams;
    private final Duration pullTimeout;

    /**
     * @param requests client for short calls (inspect)
     * @param streams client without a read timeout: a pull may stay silent while a large layer downloads
     * @param pullTimeout how long one pull may take in all
     */
    ImagePuller(DockerClient requests, DockerClient streams, Duration pullTimeout) {
        this.requests = requests;
        this.streams = streams;
        this.pullTimeout = pullTimeout;
    }

    void ensure(String image, String policy) throws ContainerFailure {
        boolean present = isPresent(image);
        if (present && !"Always".equals(policy)) {
            return;
        }
        if ("Never".equals(policy)) {
            throw new ContainerFailure("ErrImageNeverPull",
                    "Container image \"" + image + "\" is not present with pull policy of Never");
        }
        try {
            pull(image);
        } catch (ContainerFailure e) {
            if (!present) {
                throw e;
            }
            // an offline node keeps running what it has, as a registry outage should not stop restarts
            LOG.warn("{}; using the local copy of {}", e.getMessage(), image);
        }
    }

    private boolean isPresent(String image) throws ContainerFailure {
        try {
            requests.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (DockerException | IllegalArgumentException e) {
            throw new ContainerFailure("ErrImagePull", "cannot inspect image \"" + image + "\": " + e.getMessage(), e);
        }
    }

    private void pull(String image) throws ContainerFailure {
        PullProgress progress = new PullProgress();
        try {
            var command = streams.pullImageCmd(image);
            if (!hasTagOrDigest(image)) {
                // without a tag the Engine API pulls every tag of the repository
                command.withTag("latest");
            }
            if (!command.exec(progress).awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ContainerFailure("ErrImagePull",
                        "Failed to pull image \"" + image + "\": not done after " + pullTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerFailure("ErrImagePull", "Failed to pull image \"" + image + "\": interrupted", e);
        } catch (RuntimeException e) {
            // the engine refused the request, or the stream broke
            throw new ContainerFailure("ErrImagePull", "Failed to pull image \"" + image + "\": " + e.getMessage(), e);
        }
        if (progress.error != null) {
            throw new ContainerFailure("ErrImagePull", "Failed to pull image \"" + image + "\": " + progress.error);
        }
        if (!isPresent(image)) {
            throw new ContainerFailure("ErrImagePull", "Failed to pull image \"" + image + "\": the engine did not store it");
        }
    }

    static boolean hasTagOrDigest(String image) {
        int lastSlash = image.lastIndexOf('/');
        return image.contains("@") || image.indexOf(':', lastSlash + 1) >= 0;
    }

    /**
     * Remembers the error a pull reports in its progress stream. docker-java's own callback cannot
     * read Podman's error items (they have no status), so this one reads them itself.
     */
    private static final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {

        volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                error = item.getErrorDetail().getMessage();
            } else if (item.getError() != null) {
                error = item.getError();
            }
        }
    }
}
