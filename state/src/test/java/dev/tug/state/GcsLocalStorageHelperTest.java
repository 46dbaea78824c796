package dev.tug.state;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.junit.jupiter.api.BeforeEach;

/**
 * The GCS backend against Google's own in-memory fake. It rejects write preconditions, so it runs the
 * unconditional part of the contract; GcsStateStoreTest covers the rest over HTTP.
 */
class GcsLocalStorageHelperTest extends StateStoreBasicsContract {
    private StateStore store;

    @BeforeEach
    void open() {
        store = new GcsStateStore(LocalStorageHelper.getOptions().getService(), "tug-state", "prefix");
    }

    @Override
    protected StateStore store() {
        return store;
    }
}
