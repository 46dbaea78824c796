package dev.tug.state;

public class ClusterNotFoundException extends StateStoreException {
    public ClusterNotFoundException(String cluster, String storeUrl) {
        super("cluster " + cluster + " not found in state store " + storeUrl
                + "; `tug get clusters` lists the clusters there");
    }
}
