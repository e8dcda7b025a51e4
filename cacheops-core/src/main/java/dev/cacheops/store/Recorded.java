package dev.cacheops.store;

import java.util.List;

/**
 * The answer to {@link Store#fetchRecorded}.
 *
 * @param entry     the stored bytes, or {@code null} when absent, when the recorded stamp keys are
 *                  gone, or when a recorded stamp is missing or locked (it cannot be valid then)
 * @param stampKeys the recorded stamp keys (empty when none are recorded)
 * @param stamps    their current values, in order (empty arrays for missing ones)
 */
public record Recorded(byte[] entry, List<String> stampKeys, List<byte[]> stamps) { }
