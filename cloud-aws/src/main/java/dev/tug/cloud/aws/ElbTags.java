package dev.tug.cloud.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** Load balancer and target group tags, which the ELB API reads in a call of their own. */
final class ElbTags {
    private ElbTags() {
    }

    static Map<String, String> of(AwsClients aws, String arn) {
        Map<String, String> map = new LinkedHashMap<>();
        aws.elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions()
                .forEach(d -> map.putAll(ClusterTags.map(d.tags(), Tag::key, Tag::value)));
        return map;
    }

    static List<Tag> list(ClusterTags tags, String name) {
        return tags.of(name).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
