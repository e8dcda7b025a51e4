package dev.cacheops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entry keys and checksums are shared between JVMs and versions through Redis, so their bytes are
 * pinned here against an independent SHA-256 of the documented framing.
 */
class HashingTest {
    private static byte[] sha256(byte[] in) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(in);
    }

    @Test
    void keyIsTheSha256OfTaggedLengthPrefixedParts() throws Exception {
        String longPart = "x".repeat(1000); // beyond the builder's first buffer
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[] {1, 0, 0, 0, 2, 'a', 'b'});
        expected.write(new byte[] {2, 0, 0, 0, 0, 0, 0, 1, 5});
        expected.write(new byte[] {3, 0, 0, 0, 2, 7, 8});
        expected.write(0);
        expected.write(new byte[] {1, 0, 0, 3, (byte) 0xE8});
        expected.write(longPart.getBytes(StandardCharsets.UTF_8));

        String key = new Hashing.KeyBuilder().add("ab").add(261L).add(new byte[] {7, 8}).add((String) null)
                .add(longPart).build();

        assertThat(key).isEqualTo(HexFormat.of().formatHex(sha256(expected.toByteArray()), 0, 16));
    }

    @Test
    void partsDoNotRunTogether() {
        assertThat(new Hashing.KeyBuilder().add("ab").add("c").build())
                .isNotEqualTo(new Hashing.KeyBuilder().add("a").add("bc").build());
        assertThat(new Hashing.KeyBuilder().add((String) null).build())
                .isNotEqualTo(new Hashing.KeyBuilder().add("").build());
    }

    @Test
    void checksumIsTheSha256OfLengthPrefixedStamps() throws Exception {
        byte[] a = "s1:1".getBytes(StandardCharsets.UTF_8);
        byte[] b = "LOCKED".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[] {0, 4});
        expected.write(a);
        expected.write(new byte[] {0, 6});
        expected.write(b);

        assertThat(Hashing.checksum(List.of(a, b)))
                .isEqualTo(Arrays.copyOf(sha256(expected.toByteArray()), Hashing.CHECKSUM_BYTES));
    }
}
