package dev.tug.controlplane.patch;

/**
 * The strategic-merge metadata of one field, as the {@code patchStrategy} and {@code patchMergeKey}
 * struct tags of the Kubernetes API types declare it.
 *
 * @param mergeList  the field is a list merged element-wise ({@code patchStrategy:"merge"}) instead of replaced
 * @param retainKeys the type declares {@code retainKeys}; the server honours a {@code $retainKeys} directive
 *                   wherever it appears, so this records the API type rather than changing how patches apply
 * @param mergeKey   the field that identifies list elements, or null for a list of primitives merged as a set
 */
record FieldStrategy(boolean mergeList, boolean retainKeys, String mergeKey) {

    /** What a field without tags gets: maps merge, lists are replaced. */
    static final FieldStrategy DEFAULT = new FieldStrategy(false, false, null);
}
