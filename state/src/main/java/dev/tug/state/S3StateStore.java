package dev.tug.state;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** State in an S3 bucket; conditional writes use S3's If-None-Match / If-Match on PutObject. */
public final class S3StateStore implements StateStore {
    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String endpoint;

    public S3StateStore(S3Client s3, String bucket, String prefix, String endpoint) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
    }

    /** A client configured from the standard AWS variables; path-style addressing when an endpoint is set. */
    public static S3StateStore open(String bucket, String prefix, Environment env) {
        String endpoint = env.first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").orElse(null);
        var builder = S3Client.builder()
                .region(Region.of(env.first("AWS_REGION", "AWS_DEFAULT_REGION").orElse("us-east-1")))
                .credentialsProvider(AwsCredentials.from(env))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(60)));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        } else {
            builder.crossRegionAccessEnabled(true);
        }
        return new S3StateStore(builder.build(), bucket, prefix, endpoint);
    }


    @Override
    public String url() {
        return "s3://" + Keys.join(bucket, prefix);
    }

    @Override
    public void checkReachable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw missingBucket();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missingBucket();
            }
            if (e.statusCode() == 403) {
                throw new StateStoreException("access to bucket " + bucket + " is denied; check your AWS credentials"
                        + " (AWS_PROFILE or AWS_ACCESS_KEY_ID) and the bucket policy");
            }
            throw failure("cannot use bucket " + bucket, e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    private StateStoreException missingBucket() {
        return new StateStoreException("state store bucket " + bucket + " does not exist; create it with"
                + " `aws s3 mb s3://" + bucket + "` or point --state at an existing bucket");
    }

    private StateStoreException unreachable(SdkClientException e) {
        return new StateStoreException("cannot reach S3" + (endpoint == null ? "" : " at " + endpoint)
                + " for state store " + url() + ": " + StateStoreException.rootMessage(e), e);
    }

    private StateStoreException failure(String what, S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return new StateStoreException(what + " in " + url() + ": " + code + " (HTTP " + e.statusCode() + ")", e);
    }

    @Override
    public Optional<Blob> read(String key) {
        Keys.check(key);
        return call("cannot read " + key, () -> {
            try {
                ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(
                        b -> b.bucket(bucket).key(Keys.join(prefix, key)));
                return Optional.of(new Blob(object.asByteArray(), object.response().eTag()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public String write(String key, byte[] data, Precondition precondition) {
        Keys.check(key);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(Keys.join(prefix, key));
        if (precondition.mustBeAbsent()) {
            request.ifNoneMatch("*");
        } else if (precondition.version() != null) {
            request.ifMatch(precondition.version());
        }
        return call("cannot write " + key, () -> {
            try {
                return s3.putObject(request.build(), RequestBody.fromBytes(data)).eTag();
            } catch (S3Exception e) {
                // 409 is S3's answer when a concurrent conditional write to the same key is still in flight;
                // If-Match on a key someone deleted meanwhile gives NoSuchKey.
                if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT
                        || e instanceof NoSuchKeyException && precondition.version() != null) {
                    throw ConflictException.at(url(), key, precondition);
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> list(String keyPrefix) {
        return call("cannot list " + keyPrefix, () ->
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(Keys.join(prefix, keyPrefix)))
                        .contents().stream()
                        .map(S3Object::key)
                        .map(k -> Keys.strip(prefix, k))
                        .sorted()
                        .toList());
    }

    @Override
    public void delete(String key) {
        Keys.check(key);
        call("cannot delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(Keys.join(prefix, key))));
    }

    /** Runs one S3 call, turning the SDK's exceptions into messages that say what to do. */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchBucketException e) {
            throw missingBucket();
        } catch (S3Exception e) {
            throw failure(what, e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
