package dev.tug.state;

/** Helpers for '/'-separated keys under a store's optional prefix. */
final class Keys {
    private Keys() {
    }

    /** "a/b/" + "c" with no doubled or leading slashes; an empty prefix leaves the key as it is. */
    static String join(String prefix, String key) {
        if (prefix == null || prefix.isEmpty()) {
            return key;
        }
        return prefix.endsWith("/") ? prefix + key : prefix + "/" + key;
    }

    /** The key relative to the prefix. */
    static String strip(String prefix, String fullKey) {
        if (prefix == null || prefix.isEmpty()) {
            return fullKey;
        }
        String withSlash = prefix.endsWith("/") ? prefix : prefix + "/";
        return fullKey.startsWith(withSlash) ? fullKey.substring(withSlash.length()) : fullKey;
    }

    static void check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("//") || key.contains("\\")
                || key.equals("..") || key.startsWith("../") || key.contains("/../") || key.endsWith("/..")) {
            throw new StateStoreException("\"" + key + "\" is not a valid state key; cluster and group names are"
                    + " lowercase letters, digits, '-' and '.'");
        }
    }
}
