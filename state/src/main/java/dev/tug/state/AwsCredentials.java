package dev.tug.state;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AWS credentials from the given environment (keys, else the SDK's usual chain: profile, SSO, instance role). */
public final class AwsCredentials {
    private AwsCredentials() {
    }

    public static AwsCredentialsProvider from(Environment env) {
        Optional<String> keyId = env.get("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent()) {
            return StaticCredentialsProvider.create(env.get("AWS_SESSION_TOKEN")
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                            token -> AwsSessionCredentials.create(keyId.get(), secret.get(), token))
                    .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret.get())));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
