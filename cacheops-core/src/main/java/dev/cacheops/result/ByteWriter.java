package dev.cacheops.result;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the primitive writes of the payload format: zig-zag varints,
 * fixed-width floats and length-prefixed strings and byte arrays. Not thread-safe.
 */
final class ByteWriter {
    private byte[] buf;
    private int size;

    ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Unsigned varint: 7 bits a byte, high bit set on all but the last byte. */
    void writeUVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zig-zag varint, so that small negative numbers stay small too. */
    void writeVarLong(long v) {
        writeUVarLong((v << 1) ^ (v >> 63));
    }

    void writeUVarInt(int v) {
        writeUVarLong(v & 0xFFFFFFFFL);
    }

    void writeVarInt(int v) {
        writeVarLong(v);
    }

    void writeFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (bits >>> shift);
        }
    }

    void writeDouble(double d) {
        writeFixedLong(Double.doubleToRawLongBits(d));
    }

    void writeFixedLong(long bits) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (bits >>> shift);
        }
    }

    void writeBlob(byte[] b) {
        writeUVarInt(b.length);
        writeBytes(b, 0, b.length);
    }

    void writeString(String s) {
        writeBlob(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A nullable string: length + 1, with 0 meaning null (metadata names are often null). */
    void writeNullableString(String s) {
        if (s == null) {
            writeUVarInt(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeUVarLong(b.length + 1L);
        writeBytes(b, 0, b.length);
    }
}
