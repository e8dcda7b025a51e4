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

    /**
     * The full SHA-256 of string parts, framed as {@link KeyBuilder} frames them: a fixed prefix
     * of many keys, added to each as one byte-array part.
     */
    public static byte[] digest(String... parts) {
        KeyBuilder k = new KeyBuilder();
        for (String p : parts) {
            k.add(p);
        }
        return k.digest();
    }

    /** The checksum of stamp values, in order. */
    public static byte[] checksum(List<byte[]> stamps) {
        int n = 0;
        for (byte[] s : stamps) {
            n += 2 + s.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] s : stamps) {
            all[at++] = (byte) (s.length >>> 8);
            all[at++] = (byte) s.length;
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        return Arrays.copyOf(sha256().digest(all), CHECKSUM_BYTES);
    }

    /**
     * Accumulates the parts that identify one result: format version, database identity, SQL,
     * every parameter with its type, and result-shaping options. Parts are length-prefixed so no
     * two different sequences of parts hash alike. Not thread-safe; one per key.
     */
    public static final class KeyBuilder {
        // Parts are gathered and hashed in one update: a digest update per byte (the tags and
        // lengths) cost more than the hashing itself.
        private byte[] buf = new byte[512];
        private int len;

        /** Adds a string part ({@code null} distinct from every string). */
        public KeyBuilder add(String part) {
            if (part == null) {
                put((byte) 0);
                return this;
            }
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            put((byte) 1);
            addLength(b.length);
            put(b);
            return this;
        }

        /** Adds a numeric part. */
        public KeyBuilder add(long part) {
            ensure(9);
            buf[len++] = 2;
            for (int i = 56; i >= 0; i -= 8) {
                buf[len++] = (byte) (part >>> i);
            }
            return this;
        }

        /** Adds raw bytes as a part. */
        public KeyBuilder add(byte[] part) {
            put((byte) 3);
            addLength(part.length);
            put(part);
            return this;
        }

        private void addLength(int n) {
            ensure(4);
            buf[len++] = (byte) (n >>> 24);
            buf[len++] = (byte) (n >>> 16);
            buf[len++] = (byte) (n >>> 8);
            buf[len++] = (byte) n;
        }

        private void put(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        /** The 128-bit hash as 32 hex digits. */
        public String build() {
            return HexFormat.of().formatHex(digest(), 0, 16);
        }

        private byte[] digest() {
            MessageDigest digest = sha256();
            digest.update(buf, 0, len);
            return digest.digest();
        }
    }
}
