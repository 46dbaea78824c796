package dev.tug.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operator asks for; {@link Defaults} fills what they left out. */
public class ClusterSpec {
    /** aws, gcp, local or metal. */
    public String cloudProvider;
    /** The cloud region; derived from the subnets' zones when left out. */
    public String region;
    /** Where this cluster's state lives, e.g. s3://bucket/demo. Set by create. */
    public String configBase;
    public String networkCIDR;
    public List<Subnet> subnets = new ArrayList<>();
    /** CIDRs allowed to reach the Kubernetes API. */
    public List<String> kubernetesAPIAccess = new ArrayList<>();
    /** CIDRs allowed to reach machines over SSH. */
    public List<String> sshAccess = new ArrayList<>();
    /** CIDRs allowed to reach NodePort services (30000-32767); none by default. */
    public List<String> nodePortAccess = new ArrayList<>();
    public String sshUser;
    /** Machine image for every instance group that does not name its own. */
    public String image;
    /** host:port clients use for the API; for clouds, the API load balancer's address once it exists. */
    public String controlPlaneEndpoint;
    public List<Addon> addons = new ArrayList<>();
    /** Extra tags put on every cloud object the cluster owns. */
    public Map<String, String> cloudLabels = new LinkedHashMap<>();
}
