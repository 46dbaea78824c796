package dev.tug.cloud.aws;

import dev.tug.engine.CloudException;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Turns the spec's image into an AMI: an {@code ami-...} id is checked as it is; {@code OWNER/NAME-PATTERN} (the
 * default is Canonical's Ubuntu 24.04 LTS server) picks the newest available image of that owner matching the name.
 */
final class ImageLookup {
    private final AwsClients aws;

    ImageLookup(AwsClients aws) {
        this.aws = aws;
    }

    Image resolve(String spec, String usedBy) {
        if (spec == null || spec.isBlank()) {
            throw new CloudException(usedBy + " has no image; set one with `tug edit`, e.g."
                    + " 099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*");
        }
        if (spec.matches("ami-[0-9a-f]+")) {
            try {
                return aws.ec2.describeImages(r -> r.imageIds(spec)).images().stream().findFirst()
                        .map(i -> new Image(i.imageId(), i.name(), i.rootDeviceName()))
                        .orElseThrow(() -> missing(spec, usedBy));
            } catch (Ec2Exception e) {
                if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode().startsWith("InvalidAMIID")) {
                    throw missing(spec, usedBy);
                }
                throw e;
            }
        }
        int slash = spec.indexOf('/');
        if (slash <= 0) {
            throw new CloudException("image \"" + spec + "\" of " + usedBy + " is neither an ami-... id nor"
                    + " OWNER/NAME-PATTERN (e.g. 099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*)");
        }
        String owner = spec.substring(0, slash);
        String pattern = spec.substring(slash + 1);
        Optional<Image> newest = aws.ec2.describeImages(r -> r.owners(owner).filters(
                        ClusterTags.filter("name", pattern), ClusterTags.filter("state", "available")))
                .images().stream()
                .max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                .map(i -> new Image(i.imageId(), i.name(), i.rootDeviceName()));
        return newest.orElseThrow(() -> missing(spec, usedBy));
    }

    private CloudException missing(String spec, String usedBy) {
        return new CloudException("no image " + spec + " in region " + aws.region + " (image of " + usedBy
                + "); check the name, or set --image / `tug edit` to an AMI of this region");
    }
}
