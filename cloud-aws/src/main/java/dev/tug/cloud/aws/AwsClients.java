package dev.tug.cloud.aws;

import dev.tug.engine.ApiCalls;
import dev.tug.state.AwsCredentials;
import dev.tug.state.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The SDK clients for one region, configured from the standard AWS variables (credentials, profile,
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt;), every call counted by operation.
 */
public final class AwsClients implements AutoCloseable {
    public final Ec2Client ec2;
    public final IamClient iam;
    public final AutoScalingClient autoscaling;
    public final ElasticLoadBalancingV2Client elb;
    public final ApiCalls calls = new ApiCalls();
    public final String region;
    private final SdkHttpClient http;

    public AwsClients(String region, Environment env) {
        this.region = region;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        AwsCredentialsProvider credentials = AwsCredentials.from(env);
        this.ec2 = configure(Ec2Client.builder(), "EC2", region, credentials, env).build();
        // IAM is global: the SDK picks the partition's IAM endpoint from the cluster's region (aws, aws-cn, gov)
        this.iam = configure(IamClient.builder(), "IAM", region, credentials, env).build();
        this.autoscaling = configure(AutoScalingClient.builder(), "AUTO_SCALING", region, credentials, env).build();
        this.elb = configure(ElasticLoadBalancingV2Client.builder(), "ELASTIC_LOAD_BALANCING_V2", region,
                credentials, env).build();
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(
            B builder, String service, String region, AwsCredentialsProvider credentials, Environment env) {
        builder.region(Region.of(region)).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(120))
                        .addExecutionInterceptor(new Counter()));
        endpoint(env, service).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder;
    }

    private static Optional<String> endpoint(Environment env, String service) {
        return env.first("AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL");
    }


    /** Counts each logical call (not its retries) as service.Operation, e.g. ec2.DescribeVpcs. */
    private final class Counter implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.record(service.toLowerCase(Locale.ROOT) + "." + operation);
        }
    }

    @Override
    public void close() {
        ec2.close();
        iam.close();
        autoscaling.close();
        elb.close();
        http.close();
    }
}
