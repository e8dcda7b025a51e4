package dev.cacheops.protocol;

import dev.cacheops.PassReason;
import dev.cacheops.store.Fetched;
import dev.cacheops.store.Lookup;
import java.util.List;

/** The outcome of looking a result up: a hit with its payload, or a miss that may be filled. */
public sealed interface Attempt {

    /**
     * A valid entry; {@code payload} is what was stored (without the checksum). Should the
     * payload not decode, {@code fallback} is the miss to fill instead, overwriting it.
     * {@code near} is the near copy that served it or that was kept from it, or null: where the
     * caller may keep the decoded payload for the next hits ({@link NearCache.Near#keepDecoded}).
     */
    record Hit(byte[] payload, Miss fallback, NearCache.Near near) implements Attempt {
        /** A hit with no near copy. */
        public Hit(byte[] payload, Miss fallback) {
            this(payload, fallback, null);
        }
    }

    /**
     * No valid entry. When {@code fillable}, the stamps were fixed before the database is read and
     * {@link StampProtocol#fill} may store the result; otherwise {@code reason} says why not.
     * {@code quiet}, when not null, is what the fetch saw besides the stamps
     * ({@link Fetched#quiet}), handed to the store so that the fill can skip its own checks.
     */
    record Miss(Lookup lookup, List<byte[]> stamps, boolean fillable, PassReason reason, Fetched.Quiet quiet)
            implements Attempt {
        /** A miss whose fetch looked no further than the stamps. */
        public Miss(Lookup lookup, List<byte[]> stamps, boolean fillable, PassReason reason) {
            this(lookup, stamps, fillable, reason, null);
        }

        static Miss unfillable(PassReason reason) {
            return new Miss(null, List.of(), false, reason);
        }
    }
}
