package dev.cacheops.result;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every read checks the remaining bytes first and every
 * declared length is checked against them before anything is allocated, so a crafted payload
 * ends in {@link CorruptPayloadException}, never in an out-of-memory error or an index error.
 * Not thread-safe.
 */
final class ByteReader {
    private final byte[] buf;
    private int pos;

    ByteReader(byte[] buf) {
        this.buf = buf;
    }

    int remaining() {
        return buf.length - pos;
    }

    int readByte() {
        if (pos >= buf.length) {
            throw new CorruptPayloadException("truncated payload at byte " + pos);
        }
        return buf[pos++] & 0xFF;
    }

    long readUVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptPayloadException("varint longer than 10 bytes at byte " + pos);
    }

    long readVarLong() {
        long raw = readUVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    int readUVarInt() {
        long v = readUVarLong();
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new CorruptPayloadException("varint out of 32-bit range: " + v);
        }
        return (int) v;
    }

    int readVarInt() {
        long v = readVarLong();
        if (v != (int) v) {
            throw new CorruptPayloadException("varint out of int range: " + v);
        }
        return (int) v;
    }

    /** A count or length that must be between 0 and {@code max}, inclusive. */
    int readLength(long max) {
        long v = readUVarLong();
        if (v < 0 || v > max) {
            throw new CorruptPayloadException("length " + v + " exceeds limit " + max + " at byte " + pos);
        }
        return (int) v;
    }

    float readFloat() {
        return Float.intBitsToFloat((int) readFixed(4));
    }

    double readDouble() {
        return Double.longBitsToDouble(readFixed(8));
    }

    long readFixedLong() {
        return readFixed(8);
    }

    private long readFixed(int n) {
        require(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private void require(int n) {
        if (n > remaining()) {
            throw new CorruptPayloadException("truncated payload: need " + n + " bytes at byte " + pos
                    + ", have " + remaining());
        }
    }

    byte[] readBlob() {
        int len = readLength(remaining());
        byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return b;
    }

    String readString() {
        return decodeUtf8(readLength(remaining()));
    }

    String readNullableString() {
        int lenPlusOne = readLength(remaining() + 1L);
        return lenPlusOne == 0 ? null : decodeUtf8(lenPlusOne - 1);
    }

    private String decodeUtf8(int len) {
        if (isAscii(len)) {
            // the common case, and much cheaper than a strict decoder
            String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
            pos += len;
            return s;
        }
        try {
            // strict decoding: a foreign payload must not turn into replacement characters
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, len)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new CorruptPayloadException("malformed UTF-8 at byte " + pos, e);
        }
    }

    private boolean isAscii(int len) {
        for (int i = pos; i < pos + len; i++) {
            if (buf[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
