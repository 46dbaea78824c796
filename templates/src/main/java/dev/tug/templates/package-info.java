/**
 * Freemarker templates for setup scripts, systemd units, component config and add-on manifests.
 */
package dev.tug.templates;
