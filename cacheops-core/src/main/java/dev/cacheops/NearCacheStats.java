package dev.cacheops;

/**
 * Counters of the near cache ({@link Cacheops.Builder#nearCache(long)}) since the instance was
 * built.
 *
 * @param hits        reads served from the near cache (also counted as hits in {@link CacheStats})
 * @param entries     entries kept now (approximate)
 * @param bytes       their weight, about their heap bytes
 * @param keysChanged stamp changes Redis reported
 * @param dropped     entries dropped because a stamp they depend on changed
 * @param flushes     times everything was forgotten: each (re)connect of the watch, each loss of
 *                    it, a server flush, an invalidation that could not be delivered
 * @param watching    whether Redis' reports arrive now (near hits are served only then)
 */
public record NearCacheStats(long hits, long entries, long bytes, long keysChanged, long dropped, long flushes,
                             boolean watching) { }
