package dev.tug.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The places Tug can put a cluster, with what differs between them for the spec. */
public enum CloudProvider {
    AWS("aws", "t3.medium", "t3.medium", "099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", "ubuntu",
            Pattern.compile("^((?:[a-z]{2}(?:-gov)?)-[a-z]+-\\d)[a-z]$"), "us-east-1a"),
    GCP("gcp", "e2-standard-2", "e2-medium", "projects/debian-cloud/global/images/family/debian-12", "tug",
            Pattern.compile("^([a-z]+-[a-z]+\\d+)-[a-z]$"), "us-central1-a"),
    LOCAL("local", null, null, null, null, null, null),
    METAL("metal", null, null, null, "root", null, null);

    private final String id;
    private final String controlPlaneMachineType;
    private final String nodeMachineType;
    private final String image;
    private final String sshUser;
    /** Matches a zone of this cloud; group 1 is its region. Null where zones are not a cloud concept. */
    private final Pattern zonePattern;
    private final String exampleZone;

    CloudProvider(String id, String controlPlaneMachineType, String nodeMachineType, String image, String sshUser,
                  Pattern zonePattern, String exampleZone) {
        this.id = id;
        this.controlPlaneMachineType = controlPlaneMachineType;
        this.nodeMachineType = nodeMachineType;
        this.image = image;
        this.sshUser = sshUser;
        this.zonePattern = zonePattern;
        this.exampleZone = exampleZone;
    }

    public String id() {
        return id;
    }

    /** Clouds with machine types, zones, subnets and images; local and metal have none of these. */
    public boolean isCloud() {
        return zonePattern != null;
    }

    public String defaultMachineType(String role) {
        return Role.CONTROL_PLANE.equals(role) ? controlPlaneMachineType : nodeMachineType;
    }

    public String defaultImage() {
        return image;
    }

    public String defaultSshUser() {
        return sshUser;
    }

    public String exampleZone() {
        return exampleZone;
    }

    /** The single pseudo-zone of clouds without zones: "local" or "metal". */
    public String soleZone() {
        return isCloud() ? null : id;
    }

    /** The region a zone belongs to, if the zone is well-formed for this cloud. */
    public Optional<String> regionOf(String zone) {
        if (zonePattern == null || zone == null) {
            return Optional.empty();
        }
        var m = zonePattern.matcher(zone);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static Optional<CloudProvider> parse(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(CloudProvider::id).collect(Collectors.joining(", "));
    }
}
