package dev.tug.controlplane.tables;

import static dev.tug.controlplane.tables.Fields.count;

import java.util.List;

/** ConfigMaps, Secrets and ServiceAccounts: a name, a count and an age. */
final class ConfigTables {

    static final KindTable CONFIG_MAP = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Data", "Data contains the configuration data."),
            Columns.AGE),
            (configMap, now) -> List.of(
                    Fields.name(configMap),
                    count(configMap, "data") + count(configMap, "binaryData"),
                    Fields.age(configMap, now)));

    static final KindTable SECRET = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Type", "Used to facilitate programmatic handling of secret data."),
            Columns.string("Data", "Data contains the secret data."),
            Columns.AGE),
            // An untyped secret is Opaque, as Kubernetes defaults it.
            (secret, now) -> List.of(
                    Fields.name(secret),
                    Fields.orElse(Fields.text(secret, "type"), "Opaque"),
                    count(secret, "data"),
                    Fields.age(secret, now)));

    static final KindTable SERVICE_ACCOUNT = new KindTable(List.of(
            Columns.NAME,
            Columns.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods"
                    + " running using this ServiceAccount are allowed to use."),
            Columns.AGE),
            (account, now) -> List.of(Fields.name(account), count(account, "secrets"), Fields.age(account, now)));

    private ConfigTables() {
    }
}
