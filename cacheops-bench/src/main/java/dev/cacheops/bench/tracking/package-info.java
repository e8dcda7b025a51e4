/**
 * The near cache's choice of client-tracking mode, measured: broadcast against default mode, Redis
 * CPU per read and per write, reports per write and their latency. Entry point: {@link
 * dev.cacheops.bench.tracking.TrackingModes}.
 */
package dev.cacheops.bench.tracking;
