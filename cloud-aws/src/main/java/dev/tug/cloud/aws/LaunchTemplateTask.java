package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * How one instance group's machines are made: image, type, SSH key, security group, instance profile and root
 * disk. A change adds a template version; the auto scaling group uses the latest, so new machines get it.
 */
final class LaunchTemplateTask extends AwsTask {
    static final String TYPE = "LaunchTemplate";
    private final Image image;
    private final String instanceType;
    private final String keyName;
    private final int rootVolumeGiB;
    private final String groupKey;
    private final String profileKey;

    LaunchTemplateTask(AwsClients aws, ClusterTags tags, String name, Image image, String instanceType,
                       String keyName, int rootVolumeGiB, String securityGroup, String role) {
        super(aws, tags, TYPE, name, List.of(key(KeyPairTask.TYPE, keyName), key(SecurityGroupTask.TYPE, securityGroup),
                key(InstanceProfileTask.TYPE, role)));
        this.image = image;
        this.instanceType = instanceType;
        this.keyName = keyName;
        this.rootVolumeGiB = rootVolumeGiB;
        this.groupKey = key(SecurityGroupTask.TYPE, securityGroup);
        this.profileKey = key(InstanceProfileTask.TYPE, role);
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<LaunchTemplate> template = aws.ec2.describeLaunchTemplates(r -> r.filters(tags.ec2Filters(name())))
                .launchTemplates().stream().findFirst();
        if (template.isEmpty()) {
            return Optional.empty();
        }
        String id = template.get().launchTemplateId();
        ResponseLaunchTemplateData data = aws.ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(id)
                .versions("$Latest")).launchTemplateVersions().get(0).launchTemplateData();
        var disk = data.blockDeviceMappings().stream().findFirst();
        return Optional.of(new Found(id, new Fields()
                .put("image", data.imageId())
                .put("instanceType", data.instanceTypeAsString())
                .put("keyName", data.keyName())
                .putSet("securityGroups", data.securityGroupIds())
                .put("instanceProfile", data.iamInstanceProfile() == null ? "" : data.iamInstanceProfile().arn())
                .put("rootVolume", disk.map(d -> d.ebs().volumeSize() + " GiB " + d.ebs().volumeTypeAsString()
                        + " on " + d.deviceName()).orElse(""))
                .put("tags", liveTagsField(ClusterTags.ec2Map(template.get().tags())))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields()
                .put("image", image.id())
                .put("instanceType", instanceType)
                .put("keyName", keyName)
                .putSet("securityGroups", List.of(context.ref(groupKey)))
                .put("instanceProfile", context.ref(profileKey))
                .put("rootVolume", rootVolumeGiB + " GiB gp3 on " + image.rootDevice())
                .put("tags", tagsField());
    }

    private RequestLaunchTemplateData data(TaskContext context) {
        String group = context.require(groupKey);
        String profile = context.require(profileKey);
        return RequestLaunchTemplateData.builder()
                .imageId(image.id())
                .instanceType(instanceType)
                .keyName(keyName)
                .securityGroupIds(group)
                .iamInstanceProfile(p -> p.arn(profile))
                .blockDeviceMappings(LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(image.rootDevice())
                        .ebs(e -> e.volumeSize(rootVolumeGiB).volumeType(VolumeType.GP3).deleteOnTermination(true))
                        .build())
                .metadataOptions(m -> m.httpTokens("required"))
                .build();
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        if (live == null) {
            return aws.ec2.createLaunchTemplate(r -> r.launchTemplateName(name()).launchTemplateData(data(context))
                    .tagSpecifications(tags.ec2Specification(ResourceType.LAUNCH_TEMPLATE, name())))
                    .launchTemplate().launchTemplateId();
        }
        if (changes.stream().anyMatch(c -> !c.field().equals("tags"))) {
            aws.ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(live.id()).launchTemplateData(data(context))
                    .versionDescription("tug update"));
        }
        if (changes.stream().anyMatch(c -> c.field().equals("tags"))) {
            retag(live.id());
        }
        return live.id();
    }
}
