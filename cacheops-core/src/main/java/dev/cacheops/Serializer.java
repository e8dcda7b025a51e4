package dev.cacheops;

import java.lang.reflect.Type;

/**
 * Turns function results into bytes for the store and back. The default is JSON (Jackson) with
 * the target type given by the caller; Java native serialization is never used for data read
 * from the store. Implementations must be thread-safe.
 */
public interface Serializer {

    /**
     * @throws IllegalArgumentException when the value cannot be serialised (it is then returned
     *                                  to the caller uncached)
     */
    byte[] serialize(Object value);

    /**
     * @throws IllegalArgumentException when the bytes do not decode to {@code type} (the entry is
     *                                  then a miss and is recomputed)
     */
    Object deserialize(byte[] bytes, Type type);

    /** JSON through Jackson, with java.time support and no polymorphic typing. */
    static Serializer json() {
        return dev.cacheops.function.JsonSerializer.INSTANCE;
    }
}
