package dev.cacheops.result;

/**
 * Thrown by {@link ResultCodec#decode(byte[])} for any payload it cannot read: truncated,
 * mutated, written by another program or by another version of the format. The caller treats
 * it as a cache miss (and deletes the entry); it is the only exception {@code decode} throws.
 */
public final class CorruptPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and where
     */
    public CorruptPayloadException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and where
     * @param cause   the underlying failure
     */
    public CorruptPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
