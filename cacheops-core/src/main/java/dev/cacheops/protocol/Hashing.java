package dev.cacheops.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 based hashes: entry keys (128 bits, hex) and entry checksums (128 bits). Stamps are
 * random, so the checksum only has to tell one set of stamp values from another; SHA-256 is used
 * anyway because it is fast enough (about a microsecond) and leaves no doubt.
 */
public final class Hashing {
    /** Bytes of a checksum at the start of every stored entry. */
    public static final int CHECKSUM_BYTES = 16;

    private Hashing() {
    }

    /**
     * A fresh SHA-256 digest. Cloned from a prototype: {@code MessageDigest.getInstance} looks the
     * provider up reflectively on every call, which cost more than the hashing on the hit path.
     */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static final MessageDigest PROTOTYPE = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The checksum of stamp values, in order. */
    public static byte[] checksum(List<byte[]> stamps) {
        MessageDigest d = sha256();
        for (byte[] s : stamps) {
            d.update((byte) (s.length >>> 8));
            d.update((byte) s.length);
            d.update(s);
        }
        return Arrays.copyOf(d.digest(), CHECKSUM_BYTES);
    }

    /**
     * Accumulates the parts that identify one result: format version, database identity, SQL,
     * every parameter with its type, and result-shaping options. Parts are length-prefixed so no
     * two different sequences of parts hash alike. Not thread-safe; one per key.
     */
    public static final class KeyBuilder {
        private final MessageDigest digest = sha256();

        /** Adds a string part ({@code null} distinct from every string). */
        public KeyBuilder add(String part) {
            if (part == null) {
                digest.update((byte) 0);
                return this;
            }
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            digest.update((byte) 1);
            addLength(b.length);
            digest.update(b);
            return this;
        }

        /** Adds a numeric part. */
        public KeyBuilder add(long part) {
            digest.update((byte) 2);
            for (int i = 56; i >= 0; i -= 8) {
                digest.update((byte) (part >>> i));
            }
            return this;
        }

        /** Adds raw bytes as a part. */
        public KeyBuilder add(byte[] part) {
            digest.update((byte) 3);
            addLength(part.length);
            digest.update(part);
            return this;
        }

        private void addLength(int n) {
            digest.update((byte) (n >>> 24));
            digest.update((byte) (n >>> 16));
            digest.update((byte) (n >>> 8));
            digest.update((byte) n);
        }

        /** The 128-bit hash as 32 hex digits. */
        public String build() {
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        }
    }
}
