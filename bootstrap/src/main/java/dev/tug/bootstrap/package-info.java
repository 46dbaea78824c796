/**
 * Executors (SSH via sshj, local), machine setup and service management.
 */
package dev.tug.bootstrap;
