package dev.cacheops.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Round trips of every value type, and the rule that a bad payload only raises CorruptPayloadException. */
class ResultCodecTest {

    static Object[] everyValue() {
        Timestamp beforeEpoch = new Timestamp(-1500);
        beforeEpoch.setNanos(500_000_123);
        Timestamp micros = Timestamp.valueOf("2024-02-29 13:14:15.123456789");
        return new Object[] {
            null, true, false, (byte) -128, (byte) 127, (short) -32768, (short) 32767,
            Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, 300L,
            Float.NaN, -0.0f, 1.1f, Float.NEGATIVE_INFINITY, Double.NaN, Double.MAX_VALUE, -0.0d, 0.1 + 0.2,
            new BigDecimal("-1234.5600"), new BigDecimal("1E+10"), new BigDecimal("0.00000"),
            new BigDecimal("123456789012345678901234567890.123456789"),
            new BigInteger("-123456789012345678901234567890"), BigInteger.ZERO,
            "", "hello", "héllo wörld 🎉 \u0000 end", new byte[0], new byte[] {0, -1, 16, 127},
            java.sql.Date.valueOf("2024-02-29"), new java.sql.Date(-86_400_000L * 365 * 3000),
            Time.valueOf("13:14:15"), new Time(45_296_789L), micros, beforeEpoch,
            LocalDate.of(-4000, 1, 1), LocalDate.MAX, LocalTime.MAX, LocalTime.MIDNIGHT,
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999),
            OffsetDateTime.of(2024, 2, 29, 13, 14, 15, 500, ZoneOffset.ofHoursMinutesSeconds(-9, -30, -15)),
            OffsetTime.of(23, 59, 0, 1, ZoneOffset.MAX), Instant.ofEpochSecond(-1, 1), Instant.MAX,
            ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris")).withLaterOffsetAtOverlap(),
            ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            UUID.randomUUID(), new UUID(0, 0),
            new SnapshotArray(Types.INTEGER, "int4", new Integer[] {1, null, -3}),
            new SnapshotArray(Types.VARCHAR, "text", new String[] {"a", "b c", ""}),
            new SnapshotArray(Types.INTEGER, "int4", new Integer[][] {{1, 2}, {3, null}}),
            new SnapshotArray(Types.BINARY, "bytea", new byte[][] {{1}, null}),
            new SnapshotArray(Types.OTHER, null, new Object[] {1, "x", null}),
            new SnapshotArray(Types.TIMESTAMP, "timestamp", new Timestamp[] {micros}),
            new PgValue("org.postgresql.util.PGobject", "jsonb", "{\"k\": [1, 2]}"),
            new PgValue("org.postgresql.util.PGInterval", "interval", null),
            new DriverText(true, "TRUE"), new DriverText(new byte[] {1}, "01"),
            new DriverText(new SnapshotArray(Types.INTEGER, "int4", new Integer[] {1}), "[1]"),
        };
    }

    static ResultSnapshot everyValueSnapshot() {
        return Snapshots.oneColumn(everyValue());
    }

    @Test
    void everyValueTypeSurvivesTheRoundTrip() {
        ResultSnapshot snapshot = everyValueSnapshot();
        ResultSnapshot decoded = ResultCodec.decode(ResultCodec.encode(snapshot));
        assertThat(decoded).isEqualTo(snapshot);
        assertThat(decoded.timeZone()).isEqualTo(snapshot.timeZone());
        Object[] values = everyValue();
        for (int i = 0; i < values.length; i++) {
            Object got = decoded.value(i, 0);
            assertThat(got == null ? null : got.getClass()).as("class of value %d", i)
                    .isEqualTo(values[i] == null ? null : values[i].getClass());
            if (values[i] instanceof BigDecimal d) {
                assertThat(((BigDecimal) got).scale()).isEqualTo(d.scale());
            }
            if (values[i] instanceof SnapshotArray a) {
                assertThat(((SnapshotArray) got).getArray().getClass()).isEqualTo(a.getArray().getClass());
            }
        }
    }

    @Test
    void metadataSurvivesTheRoundTripIncludingNullsAndRepeats() {
        ColumnMeta odd = new ColumnMeta(null, "n", Types.NUMERIC, "numeric", null, -1, Integer.MIN_VALUE,
                2, false, true, false, true, true, Integer.MAX_VALUE, true, false, true, null, "", "test");
        ResultSnapshot s = Snapshots.of(List.of(Snapshots.column("a"), Snapshots.column("a"), odd),
                new Object[] {1, 2, 3});
        assertThat(ResultCodec.decode(ResultCodec.encode(s)).columns()).isEqualTo(s.columns());
    }

    @Test
    void emptyResultsRoundTrip() {
        ResultSnapshot noRows = Snapshots.of(List.of(Snapshots.column("a")));
        assertThat(ResultCodec.decode(ResultCodec.encode(noRows))).isEqualTo(noRows);
        ResultSnapshot noColumns = Snapshots.of(List.of());
        assertThat(ResultCodec.decode(ResultCodec.encode(noColumns))).isEqualTo(noColumns);
    }

    @Test
    void everyTruncationIsCorrupt() {
        byte[] valid = ResultCodec.encode(everyValueSnapshot());
        for (int len = 0; len < valid.length; len++) {
            byte[] cut = Arrays.copyOf(valid, len);
            assertThatThrownBy(() -> ResultCodec.decode(cut)).as("truncated to %d", len)
                    .isInstanceOf(CorruptPayloadException.class);
        }
    }

    @Test
    void trailingBytesAreCorrupt() {
        byte[] valid = ResultCodec.encode(everyValueSnapshot());
        assertThatThrownBy(() -> ResultCodec.decode(Arrays.copyOf(valid, valid.length + 1)))
                .isInstanceOf(CorruptPayloadException.class);
    }

    @Test
    void foreignAndOtherVersionPayloadsAreCorrupt() {
        byte[] valid = ResultCodec.encode(everyValueSnapshot());
        byte[] otherVersion = valid.clone();
        otherVersion[1] = (byte) (ResultCodec.VERSION + 1);
        byte[] olderVersion = valid.clone();
        olderVersion[1] = 0;
        for (byte[] bad : List.of(otherVersion, olderVersion, "{\"json\": true}".getBytes(),
                new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}, new byte[0])) {
            assertThatThrownBy(() -> ResultCodec.decode(bad)).isInstanceOf(CorruptPayloadException.class);
        }
        assertThatThrownBy(() -> ResultCodec.decode(null)).isInstanceOf(CorruptPayloadException.class);
    }

    @Test
    void hugeDeclaredLengthsAreCorruptWithoutAllocating() {
        ByteWriter zone = new ByteWriter(16);
        zone.writeByte(ResultCodec.MAGIC);
        zone.writeByte(ResultCodec.VERSION);
        zone.writeUVarInt(Integer.MAX_VALUE); // zone id length
        assertThatThrownBy(() -> ResultCodec.decode(zone.toByteArray())).isInstanceOf(CorruptPayloadException.class);

        ByteWriter rows = header(1);
        rows.writeUVarInt(Integer.MAX_VALUE); // row count
        rows.writeByte(ValueCodec.NULL);
        assertThatThrownBy(() -> ResultCodec.decode(rows.toByteArray())).isInstanceOf(CorruptPayloadException.class);

        ByteWriter array = header(1);
        array.writeUVarInt(1);
        array.writeByte(ValueCodec.JAVA_ARRAY);
        array.writeString(Integer.class.getName());
        array.writeUVarInt(Integer.MAX_VALUE - 8); // element count
        assertThatThrownBy(() -> ResultCodec.decode(array.toByteArray())).isInstanceOf(CorruptPayloadException.class);

        ByteWriter columns = new ByteWriter(16);
        columns.writeByte(ResultCodec.MAGIC);
        columns.writeByte(ResultCodec.VERSION);
        columns.writeString("UTC");
        columns.writeUVarLong(Long.MAX_VALUE); // column count
        assertThatThrownBy(() -> ResultCodec.decode(columns.toByteArray())).isInstanceOf(CorruptPayloadException.class);
    }

    @Test
    void classNamesInPayloadsAreNeverLoaded() {
        ByteWriter array = header(1);
        array.writeUVarInt(1);
        array.writeByte(ValueCodec.JAVA_ARRAY);
        array.writeString("java.lang.Thread");
        array.writeUVarInt(0);
        assertThatThrownBy(() -> ResultCodec.decode(array.toByteArray())).isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("not allowed");
    }

    /** A valid header with {@code n} columns, up to the row count. */
    private static ByteWriter header(int n) {
        ByteWriter out = new ByteWriter(64);
        List<ColumnMeta> cols = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            cols.add(Snapshots.column("c" + i));
        }
        ResultCodec.writeHeader(out, cols, "UTC");
        return out;
    }

    /** Caffeine's fuzzer idea: whatever the bytes, nothing but the declared exception escapes. */
    @Test
    void seededMutationsOnlyEverRaiseCorruptPayloadException() {
        byte[] valid = ResultCodec.encode(everyValueSnapshot());
        Random random = new Random(20240229);
        int decodedAnyway = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] bad = mutate(valid, random);
            try {
                ResultCodec.decode(bad);
                decodedAnyway++;
            } catch (CorruptPayloadException expected) {
                // the one allowed outcome besides decoding
            } catch (Throwable t) {
                fail("case " + i + " threw " + t, t);
            }
        }
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            if (noise.length > 2 && random.nextBoolean()) {
                noise[0] = (byte) ResultCodec.MAGIC;
                noise[1] = (byte) ResultCodec.VERSION;
            }
            try {
                ResultCodec.decode(noise);
            } catch (CorruptPayloadException expected) {
                // fine
            } catch (Throwable t) {
                fail("noise case " + i + " threw " + t, t);
            }
        }
        // most single-byte changes still decode (a changed digit is a different valid value)
        assertThat(decodedAnyway).isLessThan(5000);
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int kind = random.nextInt(5);
        int at = 2 + random.nextInt(b.length - 2);
        switch (kind) {
            case 0 -> b[at] = (byte) random.nextInt(256);
            case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    b[2 + random.nextInt(b.length - 2)] = (byte) 0xFF;
                }
            }
            case 3 -> {
                byte[] shorter = new byte[b.length - 1];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                return shorter;
            }
            default -> {
                byte[] longer = new byte[b.length + 1];
                System.arraycopy(b, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, longer, at + 1, b.length - at);
                return longer;
            }
        }
        return b;
    }

    @Test
    void wallClockValuesKeepTheirFieldsAndInstantsTheirInstantAcrossZones() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            Timestamp instant = Timestamp.valueOf("2024-03-10 12:00:00.123456");
            ResultSnapshot s = Snapshots.of(List.of(
                            Snapshots.column("d", Types.DATE, "date", java.sql.Date.class.getName()),
                            Snapshots.column("t", Types.TIME, "time", Time.class.getName()),
                            Snapshots.column("ts", Types.TIMESTAMP, "timestamp", Timestamp.class.getName()),
                            Snapshots.column("tz", Types.TIMESTAMP, "timestamptz", Timestamp.class.getName())),
                    new Object[] {java.sql.Date.valueOf("2024-03-10"), Time.valueOf("23:30:00"),
                        Timestamp.valueOf("2024-03-10 12:00:00.123456"), instant});
            byte[] payload = ResultCodec.encode(s);
            assertThat(ResultCodec.decode(payload)).isEqualTo(s);
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            ResultSnapshot there = ResultCodec.decode(payload);
            assertThat(there.value(0, 0)).hasToString("2024-03-10");
            assertThat(there.value(0, 1)).hasToString("23:30:00");
            assertThat(there.value(0, 2)).hasToString("2024-03-10 12:00:00.123456");
            assertThat(((Timestamp) there.value(0, 3)).toInstant()).isEqualTo(instant.toInstant());
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void aDateOffMidnightIsKeptExactly() {
        java.sql.Date odd = new java.sql.Date(1_700_000_123_456L);
        ResultSnapshot s = Snapshots.oneColumn(odd);
        assertThat(((java.sql.Date) ResultCodec.decode(ResultCodec.encode(s)).value(0, 0)).getTime())
                .isEqualTo(odd.getTime());
    }
}
