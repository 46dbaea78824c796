package dev.tug.state;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** State in a Google Cloud Storage bucket; conditional writes use object generations. */
public final class GcsStateStore implements StateStore {
    private static final int NOT_FOUND = 404;
    private static final int PRECONDITION_FAILED = 412;
    private static final int FORBIDDEN = 403;
    private static final int MAX_READ_ATTEMPTS = 10;

    private final Storage storage;
    private final String bucket;
    private final String prefix;

    public GcsStateStore(Storage storage, String bucket, String prefix) {
        this.storage = storage;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /**
     * Application-default credentials, or an emulator named by STORAGE_EMULATOR_HOST (the variable Google's
     * other client libraries honour), which needs no credentials.
     */
    public static GcsStateStore open(String bucket, String prefix, Environment env) {
        StorageOptions.Builder options = StorageOptions.newBuilder();
        env.first("GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT").ifPresent(options::setProjectId);
        env.get("STORAGE_EMULATOR_HOST").ifPresent(host -> options
                .setHost(host.startsWith("http") ? host : "http://" + host)
                .setProjectId(env.get("GOOGLE_CLOUD_PROJECT").orElse("tug-emulator"))
                .setCredentials(NoCredentials.getInstance()));
        try {
            return new GcsStateStore(options.build().getService(), bucket, prefix);
        } catch (RuntimeException e) {
            throw new StateStoreException("cannot open gs://" + bucket + ": " + StateStoreException.rootMessage(e)
                    + "; run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS", e);
        }
    }

    @Override
    public String url() {
        return "gs://" + Keys.join(bucket, prefix);
    }

    @Override
    public void checkReachable() {
        try {
            if (storage.get(bucket) == null) {
                throw missingBucket();
            }
        } catch (StorageException e) {
            throw failure("cannot use bucket " + bucket, e);
        }
    }

    private StateStoreException missingBucket() {
        return new StateStoreException("state store bucket " + bucket + " does not exist; create it with"
                + " `gcloud storage buckets create gs://" + bucket + "` or point --state at an existing bucket");
    }

    private StateStoreException failure(String what, StorageException e) {
        if (e.getCode() == FORBIDDEN) {
            return new StateStoreException("access to bucket " + bucket + " is denied; check your Google Cloud"
                    + " credentials (GOOGLE_APPLICATION_CREDENTIALS) and the bucket's IAM", e);
        }
        if (e.getCode() == NOT_FOUND && e.getMessage() != null && e.getMessage().toLowerCase().contains("bucket")) {
            return missingBucket();
        }
        String detail = e.getCode() == 0 ? StateStoreException.rootMessage(e) : e.getMessage() + " (HTTP " + e.getCode() + ")";
        return new StateStoreException(what + " in " + url() + ": " + detail, e);
    }

    @Override
    public Optional<dev.tug.state.Blob> read(String key) {
        Keys.check(key);
        BlobId id = BlobId.of(bucket, Keys.join(prefix, key));
        try {
            // Read exactly the generation we saw, so data and version always belong together. If a writer
            // replaced it in between, that generation is gone: look again rather than report "absent".
            for (int attempt = 0; ; attempt++) {
                Blob blob = storage.get(id);
                if (blob == null) {
                    return Optional.empty();
                }
                try {
                    byte[] data = storage.readAllBytes(BlobId.of(bucket, blob.getName(), blob.getGeneration()));
                    return Optional.of(new dev.tug.state.Blob(data, String.valueOf(blob.getGeneration())));
                } catch (StorageException e) {
                    if (e.getCode() != NOT_FOUND || attempt >= MAX_READ_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (StorageException e) {
            throw failure("cannot read " + key, e);
        }
    }

    @Override
    public String write(String key, byte[] data, Precondition precondition) {
        Keys.check(key);
        String name = Keys.join(prefix, key);
        try {
            Blob written;
            if (precondition.mustBeAbsent()) {
                written = storage.create(BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), data,
                        Storage.BlobTargetOption.doesNotExist());
            } else if (precondition.version() != null) {
                BlobId expected = BlobId.of(bucket, name, Long.parseLong(precondition.version()));
                written = storage.create(BlobInfo.newBuilder(expected).build(), data,
                        Storage.BlobTargetOption.generationMatch());
            } else {
                written = storage.create(BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), data);
            }
            return String.valueOf(written.getGeneration());
        } catch (StorageException e) {
            if (e.getCode() == PRECONDITION_FAILED) {
                throw ConflictException.at(url(), key, precondition);
            }
            throw failure("cannot write " + key, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        try {
            List<String> keys = new ArrayList<>();
            for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(Keys.join(prefix, keyPrefix)))
                    .iterateAll()) {
                keys.add(Keys.strip(prefix, blob.getName()));
            }
            keys.sort(null);
            return keys;
        } catch (StorageException e) {
            throw failure("cannot list " + keyPrefix, e);
        }
    }

    @Override
    public void delete(String key) {
        Keys.check(key);
        try {
            storage.delete(BlobId.of(bucket, Keys.join(prefix, key)));
        } catch (StorageException e) {
            throw failure("cannot delete " + key, e);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // Closing only releases client resources; nothing to report to the operator.
        }
    }
}
