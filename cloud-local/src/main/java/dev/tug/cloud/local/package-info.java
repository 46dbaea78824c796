/**
 * The local cloud (components as processes on this machine) and metal (existing hosts over SSH).
 */
package dev.tug.cloud.local;
