package dev.tug.bootstrap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tug.state.Blob;
import dev.tug.state.ClusterLayout;
import dev.tug.state.Precondition;
import dev.tug.state.StateStore;
import dev.tug.state.StateStoreException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The cluster's machine records in the state store, one JSON object per machine. */
public final class MachineRecords {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final StateStore store;
    private final String cluster;

    public MachineRecords(StateStore store, String cluster) {
        this.store = store;
        this.cluster = cluster;
    }

    /** Every record, by machine id. */
    public Map<String, MachineRecord> all() {
        Map<String, MachineRecord> records = new LinkedHashMap<>();
        String prefix = ClusterLayout.machine(cluster, "");
        for (String key : store.list(prefix)) {
            read(key).ifPresent(record -> records.put(key.substring(prefix.length()), record));
        }
        return records;
    }

    public Optional<MachineRecord> get(String id) {
        return read(ClusterLayout.machine(cluster, id));
    }

    /** Writes the record; machines are bootstrapped concurrently, but each writes only its own key. */
    public synchronized void put(MachineRecord record) {
        String key = ClusterLayout.machine(cluster, record.id);
        try {
            store.write(key, JSON.writeValueAsBytes(record), Precondition.as(store.read(key)));
        } catch (IOException e) {
            throw new StateStoreException("cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    /** Where a machine's record is, as the operator would find it: {@code file:///…/demo/machines/ID}. */
    public String location(String id) {
        return store.url() + "/" + ClusterLayout.machine(cluster, id);
    }

    public void delete(String id) {
        store.delete(ClusterLayout.machine(cluster, id));
    }

    private Optional<MachineRecord> read(String key) {
        Optional<Blob> blob = store.read(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(blob.get().data(), MachineRecord.class));
        } catch (IOException e) {
            throw new StateStoreException(key + " in " + store.url() + " is not a machine record: " + e.getMessage(), e);
        }
    }
}
