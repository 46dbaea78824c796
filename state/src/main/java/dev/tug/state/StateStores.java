package dev.tug.state;

import java.nio.file.Path;

/** Opens a store from the URL an operator typed: file://, s3://, gs:// or a plain directory path. */
public final class StateStores {
    public static final String ENV_VARIABLE = "TUG_STATE_STORE";

    private StateStores() {
    }

    /** --state if given, else TUG_STATE_STORE, else file://$HOME/.tug/state. */
    public static String resolveUrl(String flag, Environment env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        return env.get(ENV_VARIABLE).orElse("file://" + Path.of(env.home(), ".tug", "state"));
    }

    public static StateStore open(String url, Environment env) {
        if (url.startsWith("s3://") || url.startsWith("gs://")) {
            String rest = url.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
            if (bucket.isEmpty() || !bucket.matches("[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]")) {
                throw new StateStoreException("\"" + bucket + "\" in " + url + " is not a valid bucket name");
            }
            return url.startsWith("s3://") ? S3StateStore.open(bucket, prefix, env)
                    : GcsStateStore.open(bucket, prefix, env);
        }
        if (url.startsWith("file://")) {
            String path = url.substring("file://".length());
            if (path.isEmpty()) {
                throw new StateStoreException(url + " names no directory; use file:///absolute/path");
            }
            return new FileStateStore(Path.of(path));
        }
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new StateStoreException("unsupported state store " + url + "; use s3://bucket[/prefix],"
                    + " gs://bucket[/prefix] or file:///path");
        }
        return new FileStateStore(Path.of(url));
    }
}
