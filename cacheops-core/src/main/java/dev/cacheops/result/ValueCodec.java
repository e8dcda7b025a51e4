package dev.cacheops.result;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * One tagged value of the payload: a tag byte, then the value's own compact form. Integers are
 * zig-zag varints, temporals are numbers (epoch seconds or days, nanos, offset seconds), decimals
 * are the unscaled bytes and the scale, strings UTF-8 with a length.
 */
final class ValueCodec {
    static final int NULL = 0;
    static final int TRUE = 1;
    static final int FALSE = 2;
    static final int INT = 3;
    static final int LONG = 4;
    static final int SHORT = 5;
    static final int BYTE = 6;
    static final int FLOAT = 7;
    static final int DOUBLE = 8;
    static final int DECIMAL = 9;
    static final int BIG_INTEGER = 10;
    static final int STRING = 11;
    static final int BYTES = 12;
    static final int SQL_DATE = 13;
    static final int SQL_TIME = 14;
    static final int SQL_TIMESTAMP = 15;
    static final int LOCAL_DATE = 16;
    static final int LOCAL_TIME = 17;
    static final int LOCAL_DATE_TIME = 18;
    static final int OFFSET_DATE_TIME = 19;
    static final int OFFSET_TIME = 20;
    static final int INSTANT = 21;
    static final int ZONED_DATE_TIME = 22;
    static final int UUID_TAG = 23;
    static final int SQL_ARRAY = 24;
    static final int JAVA_ARRAY = 25;
    static final int PG_OBJECT = 26;
    static final int DRIVER_TEXT = 27;
    static final int SQL_DATE_MILLIS = 28;
    static final int SQL_TIME_MILLIS = 29;
    static final int SQL_TIMESTAMP_INSTANT = 30;

    private ValueCodec() {
    }

    /**
     * Writes one value.
     *
     * @param zoned whether the column holds fixed instants ({@code timestamptz}): its java.sql
     *              temporals are then written as instants, the others as wall-clock values
     */
    static void write(ByteWriter out, Object v, boolean zoned) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeVarInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeVarLong(l);
        } else if (v instanceof Short s) {
            out.writeByte(SHORT);
            out.writeVarInt(s);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            out.writeVarInt(d.scale());
            out.writeBlob(d.unscaledValue().toByteArray());
        } else if (v instanceof BigInteger i) {
            out.writeByte(BIG_INTEGER);
            out.writeBlob(i.toByteArray());
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeString(s);
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            out.writeBlob(b);
        } else if (v instanceof java.util.Date) {
            writeLegacyTemporal(out, v, zoned);
        } else {
            writeModern(out, v, zoned);
        }
    }

    /**
     * java.sql temporals of wall-clock columns as their local fields, so that a JVM in another
     * zone gets the same wall-clock value (what its driver would give); those of {@code timestamptz}
     * columns, and any value whose local fields do not rebuild it exactly (a {@code Date} that is
     * not at local midnight, say), as epoch millis, exact in a JVM with the recording zone.
     */
    private static void writeLegacyTemporal(ByteWriter out, Object v, boolean zoned) {
        if (v instanceof Timestamp t) {
            LocalDateTime local = t.toLocalDateTime();
            if (!zoned && Timestamp.valueOf(local).equals(t)) {
                out.writeByte(SQL_TIMESTAMP);
                writeDateTime(out, local);
            } else {
                out.writeByte(SQL_TIMESTAMP_INSTANT);
                out.writeVarLong(Math.floorDiv(t.getTime(), 1000L));
                out.writeUVarInt(t.getNanos());
            }
        } else if (v instanceof Time t) {
            LocalTime local = t.toLocalTime().withNano((int) Math.floorMod(t.getTime(), 1000L) * 1_000_000);
            if (!zoned && time(local).getTime() == t.getTime()) {
                out.writeByte(SQL_TIME);
                out.writeUVarLong(local.toNanoOfDay());
            } else {
                out.writeByte(SQL_TIME_MILLIS);
                out.writeVarLong(t.getTime());
            }
        } else if (v instanceof java.sql.Date d) {
            LocalDate local = d.toLocalDate();
            if (!zoned && java.sql.Date.valueOf(local).getTime() == d.getTime()) {
                out.writeByte(SQL_DATE);
                out.writeVarLong(local.toEpochDay());
            } else {
                out.writeByte(SQL_DATE_MILLIS);
                out.writeVarLong(d.getTime());
            }
        } else {
            throw new IllegalArgumentException("not a snapshot value: " + v.getClass().getName());
        }
    }

    /** A {@code Time} on 1970-01-01 in the JVM zone, with the local time's milliseconds. */
    private static Time time(LocalTime local) {
        return new Time(Time.valueOf(local.withNano(0)).getTime() + local.getNano() / 1_000_000);
    }

    private static void writeModern(ByteWriter out, Object v, boolean zoned) {
        if (v instanceof LocalDate d) {
            out.writeByte(LOCAL_DATE);
            out.writeVarLong(d.toEpochDay());
        } else if (v instanceof LocalTime t) {
            out.writeByte(LOCAL_TIME);
            out.writeUVarLong(t.toNanoOfDay());
        } else if (v instanceof LocalDateTime t) {
            out.writeByte(LOCAL_DATE_TIME);
            writeDateTime(out, t);
        } else if (v instanceof OffsetDateTime t) {
            out.writeByte(OFFSET_DATE_TIME);
            writeDateTime(out, t.toLocalDateTime());
            out.writeVarInt(t.getOffset().getTotalSeconds());
        } else if (v instanceof OffsetTime t) {
            out.writeByte(OFFSET_TIME);
            out.writeUVarLong(t.toLocalTime().toNanoOfDay());
            out.writeVarInt(t.getOffset().getTotalSeconds());
        } else if (v instanceof Instant t) {
            out.writeByte(INSTANT);
            out.writeVarLong(t.getEpochSecond());
            out.writeUVarInt(t.getNano());
        } else if (v instanceof ZonedDateTime t) {
            out.writeByte(ZONED_DATE_TIME);
            writeDateTime(out, t.toLocalDateTime());
            out.writeVarInt(t.getOffset().getTotalSeconds());
            out.writeString(t.getZone().getId());
        } else if (v instanceof UUID u) {
            out.writeByte(UUID_TAG);
            out.writeFixedLong(u.getMostSignificantBits());
            out.writeFixedLong(u.getLeastSignificantBits());
        } else if (v instanceof SnapshotArray a) {
            out.writeByte(SQL_ARRAY);
            out.writeVarInt(a.baseTypeCode());
            out.writeNullableString(a.baseTypeNameOrNull());
            writeJavaArray(out, a.elementsUnsafe(), zoned);
        } else if (v instanceof Object[] a) {
            out.writeByte(JAVA_ARRAY);
            writeJavaArray(out, a, zoned);
        } else if (v instanceof PgValue p) {
            out.writeByte(PG_OBJECT);
            out.writeString(p.className());
            out.writeNullableString(p.type());
            out.writeNullableString(p.value());
        } else if (v instanceof DriverText t) {
            out.writeByte(DRIVER_TEXT);
            out.writeString(t.text());
            write(out, t.value(), zoned);
        } else {
            throw new IllegalArgumentException("not a snapshot value: " + v.getClass().getName());
        }
    }

    private static void writeDateTime(ByteWriter out, LocalDateTime t) {
        out.writeVarLong(t.toEpochSecond(ZoneOffset.UTC));
        out.writeUVarInt(t.getNano());
    }

    private static void writeJavaArray(ByteWriter out, Object[] a, boolean zoned) {
        out.writeString(a.getClass().getComponentType().getName());
        out.writeUVarInt(a.length);
        for (Object e : a) {
            write(out, e, zoned);
        }
    }

    /** Reads one value; {@code depth} counts array nesting. Throws only CorruptPayloadException. */
    static Object read(ByteReader in, int depth) {
        int tag = in.readByte();
        switch (tag) {
            case NULL: return null;
            case TRUE: return Boolean.TRUE;
            case FALSE: return Boolean.FALSE;
            case INT: return in.readVarInt();
            case LONG: return in.readVarLong();
            case SHORT: return narrow(in.readVarInt(), Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
            case BYTE: return (byte) in.readByte();
            case FLOAT: return in.readFloat();
            case DOUBLE: return in.readDouble();
            case DECIMAL: {
                int scale = in.readVarInt();
                return new BigDecimal(bigInteger(in.readBlob()), scale);
            }
            case BIG_INTEGER: return bigInteger(in.readBlob());
            case STRING: return in.readString();
            case BYTES: return in.readBlob();
            case SQL_DATE: return java.sql.Date.valueOf(LocalDate.ofEpochDay(in.readVarLong()));
            case SQL_TIME: return time(LocalTime.ofNanoOfDay(in.readUVarLong()));
            case SQL_TIMESTAMP: return Timestamp.valueOf(readDateTime(in));
            case SQL_DATE_MILLIS: return new java.sql.Date(in.readVarLong());
            case SQL_TIME_MILLIS: return new Time(in.readVarLong());
            case SQL_TIMESTAMP_INSTANT: {
                Timestamp t = new Timestamp(Math.multiplyExact(in.readVarLong(), 1000L));
                t.setNanos(nanos(in));
                return t;
            }
            case LOCAL_DATE: return LocalDate.ofEpochDay(in.readVarLong());
            case LOCAL_TIME: return LocalTime.ofNanoOfDay(in.readUVarLong());
            case LOCAL_DATE_TIME: return readDateTime(in);
            case OFFSET_DATE_TIME: return OffsetDateTime.of(readDateTime(in), ZoneOffset.ofTotalSeconds(in.readVarInt()));
            case OFFSET_TIME:
                return OffsetTime.of(LocalTime.ofNanoOfDay(in.readUVarLong()), ZoneOffset.ofTotalSeconds(in.readVarInt()));
            case INSTANT: return Instant.ofEpochSecond(in.readVarLong(), nanos(in));
            case ZONED_DATE_TIME: {
                LocalDateTime local = readDateTime(in);
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readVarInt());
                return ZonedDateTime.ofStrict(local, offset, ZoneId.of(in.readString()));
            }
            case UUID_TAG: return new UUID(in.readFixedLong(), in.readFixedLong());
            case SQL_ARRAY: {
                int baseType = in.readVarInt();
                String baseTypeName = in.readNullableString();
                return new SnapshotArray(baseType, baseTypeName, readJavaArray(in, depth + 1));
            }
            case JAVA_ARRAY: return readJavaArray(in, depth + 1);
            case PG_OBJECT: return new PgValue(in.readString(), in.readNullableString(), in.readNullableString());
            case DRIVER_TEXT: {
                String text = in.readString();
                Object value = read(in, depth);
                if (value == null || value instanceof DriverText) {
                    throw new CorruptPayloadException("driver text around " + value);
                }
                return new DriverText(value, text);
            }
            default: throw new CorruptPayloadException("unknown value tag " + tag);
        }
    }

    private static Integer narrow(int v, int min, int max) {
        if (v < min || v > max) {
            throw new CorruptPayloadException("value " + v + " out of range");
        }
        return v;
    }

    private static int nanos(ByteReader in) {
        return narrow(in.readUVarInt(), 0, 999_999_999);
    }

    private static BigInteger bigInteger(byte[] b) {
        if (b.length == 0) {
            throw new CorruptPayloadException("empty integer bytes");
        }
        return new BigInteger(b);
    }

    private static LocalDateTime readDateTime(ByteReader in) {
        return LocalDateTime.ofEpochSecond(in.readVarLong(), nanos(in), ZoneOffset.UTC);
    }

    private static Object[] readJavaArray(ByteReader in, int depth) {
        if (depth > Values.MAX_DEPTH) {
            throw new CorruptPayloadException("array nested deeper than " + Values.MAX_DEPTH);
        }
        Class<?> component = component(in.readString());
        // every element takes at least one byte, so the length is bounded by what is left
        int length = in.readLength(in.remaining());
        Object[] a = (Object[]) java.lang.reflect.Array.newInstance(component, length);
        for (int i = 0; i < length; i++) {
            Object e = read(in, depth);
            if (e != null && !component.isInstance(e)) {
                throw new CorruptPayloadException("array element " + e.getClass().getName()
                        + " in array of " + component.getName());
            }
            a[i] = e;
        }
        return a;
    }

    /** Resolves a component class name against the closed set only (never Class.forName). */
    private static Class<?> component(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[' && !name.equals("[B")
                && !name.substring(dims).equals("[B")) {
            dims++;
        }
        String base = name.substring(dims);
        if (dims > 0) {
            if (!base.startsWith("L") && !base.equals("[B") || base.startsWith("L") && !base.endsWith(";")) {
                throw new CorruptPayloadException("bad array component " + name);
            }
            if (base.startsWith("L")) {
                base = base.substring(1, base.length() - 1);
            }
        }
        Class<?> c = Values.COMPONENTS.get(base);
        if (c == null || dims > Values.MAX_DEPTH) {
            throw new CorruptPayloadException("array component not allowed: " + name);
        }
        for (int i = 0; i < dims; i++) {
            c = c.arrayType();
        }
        return c;
    }
}
