package dev.tug.cloud.aws;

import dev.tug.engine.Change;
import dev.tug.engine.Fields;
import dev.tug.engine.Found;
import dev.tug.engine.TaskContext;
import dev.tug.state.SshPublicKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The cluster's SSH public key as an EC2 key pair. Its name carries the key's fingerprint, so a new key in the
 * state store makes a new key pair (and the launch templates switch to it) instead of changing one in place.
 */
final class KeyPairTask extends AwsTask {
    static final String TYPE = "KeyPair";
    private final SshPublicKey key;

    KeyPairTask(AwsClients aws, ClusterTags tags, SshPublicKey key) {
        super(aws, tags, TYPE, name(tags, key), List.of());
        this.key = key;
    }

    static String name(ClusterTags tags, SshPublicKey key) {
        return "tug-" + tags.cluster() + "-" + key.storageName().substring(0, 16);
    }

    @Override
    public Optional<Found> find(TaskContext context) {
        Optional<KeyPairInfo> pair = aws.ec2.describeKeyPairs(r -> r.filters(tags.ec2Filters(name()))).keyPairs()
                .stream().filter(k -> name().equals(k.keyName())).findFirst();
        // the name holds the fingerprint: a key pair found under it is this key
        return pair.map(p -> new Found(p.keyPairId(), new Fields().put("publicKey", key.type() + " " + key.fingerprint())
                .put("tags", liveTagsField(ClusterTags.ec2Map(p.tags())))));
    }

    @Override
    public Fields desired(TaskContext context) {
        return new Fields().put("publicKey", key.type() + " " + key.fingerprint()).put("tags", tagsField());
    }

    @Override
    public String apply(TaskContext context, Found live, List<Change> changes) {
        if (live != null) {
            retag(live.id());
            return live.id();
        }
        return aws.ec2.importKeyPair(r -> r.keyName(name())
                .publicKeyMaterial(SdkBytes.fromString(key.line(), StandardCharsets.US_ASCII))
                .tagSpecifications(tags.ec2Specification(ResourceType.KEY_PAIR, name()))).keyPairId();
    }
}
