package dev.tug.controlplane.store;

/**
 * The keys that start with a prefix, as a half-open range {@code [lower, upper)} that SQLite can
 * answer from the primary-key index. SQLite compares TEXT byte by byte in UTF-8, which is code point
 * order, so the upper bound is the prefix with its last code point incremented (no LIKE, so
 * {@code %} and {@code _} in keys are plain characters).
 */
final class KeyRange {
    private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

    private final String prefix;
    /** Exclusive upper bound; null when no key can be past the range (empty prefix, or all U+10FFFF). */
    private final String upper;

    KeyRange(String prefix) {
        this.prefix = prefix;
        this.upper = successor(prefix);
    }

    String lower() {
        return prefix;
    }

    /** Exclusive; null means unbounded. */
    String upper() {
        return upper;
    }

    boolean contains(String key) {
        return key.startsWith(prefix);
    }

    /** The smallest string greater than every string that starts with {@code prefix}. */
    static String successor(String prefix) {
        int[] codePoints = prefix.codePoints().toArray();
        for (int i = codePoints.length - 1; i >= 0; i--) {
            int next = codePoints[i] + 1;
            if (next > MAX_CODE_POINT) {
                continue; // carry: drop this code point and increment the one before
            }
            if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                next = Character.MAX_SURROGATE + 1; // surrogates are not code points SQLite can hold
            }
            codePoints[i] = next;
            return new String(codePoints, 0, i + 1);
        }
        return null;
    }
}
