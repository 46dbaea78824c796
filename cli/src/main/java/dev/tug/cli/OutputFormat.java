package dev.tug.cli;

/** -o values, as kubectl and kops name them. */
enum OutputFormat {
    table, yaml, json
}
