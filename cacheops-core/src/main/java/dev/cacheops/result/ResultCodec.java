package dev.cacheops.result;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link ResultSnapshot}, written and read by hand (never Java
 * serialization: the bytes come from Redis, which is not trusted to choose classes).
 *
 * <p>Layout: a magic byte and a format version byte; the recording JVM's time zone id; the
 * column count and each column's metadata (strings through a small per-payload table, because
 * table, schema and type names repeat from column to column); the row count; then every value
 * as a tag byte and its compact form (see {@code ValueCodec}). A payload must end exactly after
 * the last value.
 *
 * <p>Thread-safe (stateless).
 */
public final class ResultCodec {
    /** First byte of every payload; chosen so that text or Java serialization never starts so. */
    static final int MAGIC = 0xC7;
    /** Bumped on any change of the layout; older payloads are then corrupt, that is misses. */
    static final int VERSION = 1;

    private static final int SIGNED = 1;
    private static final int AUTO_INCREMENT = 1 << 1;
    private static final int CASE_SENSITIVE = 1 << 2;
    private static final int SEARCHABLE = 1 << 3;
    private static final int CURRENCY = 1 << 4;
    private static final int READ_ONLY = 1 << 5;
    private static final int WRITABLE = 1 << 6;
    private static final int DEFINITELY_WRITABLE = 1 << 7;

    private ResultCodec() {
    }

    /**
     * Encodes a snapshot.
     *
     * @param snapshot the result to encode
     * @return a new byte array, owned by the caller
     * @throws IllegalArgumentException if the snapshot holds a value outside the supported set
     *                                  (impossible for snapshots built by this package)
     */
    public static byte[] encode(ResultSnapshot snapshot) {
        ByteWriter out = new ByteWriter(256);
        writeHeader(out, snapshot.columns(), snapshot.timeZone());
        out.writeUVarInt(snapshot.rowCount());
        byte[] rows = snapshot.encodedRows();
        if (rows != null) {
            out.writeBytes(rows, 0, rows.length);
        } else {
            boolean[] zoned = new boolean[snapshot.columnCount()];
            for (int c = 0; c < zoned.length; c++) {
                zoned[c] = Texts.isZoned(snapshot.columns().get(c));
            }
            for (int r = 0; r < snapshot.rowCount(); r++) {
                for (int c = 0; c < zoned.length; c++) {
                    ValueCodec.write(out, snapshot.value(r, c), zoned[c]);
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a payload written by {@link #encode}.
     *
     * @param payload the bytes, not modified
     * @return the snapshot
     * @throws CorruptPayloadException for anything that is not a complete payload of this
     *                                 format version; never any other exception
     */
    public static ResultSnapshot decode(byte[] payload) {
        if (payload == null) {
            throw new CorruptPayloadException("null payload");
        }
        try {
            ByteReader in = new ByteReader(payload);
            int magic = in.readByte();
            if (magic != MAGIC) {
                throw new CorruptPayloadException("not a result payload (first byte " + magic + ")");
            }
            int version = in.readByte();
            if (version != VERSION) {
                throw new CorruptPayloadException("format version " + version + ", expected " + VERSION);
            }
            String zone = in.readString();
            List<ColumnMeta> columns = readColumns(in);
            // a row takes at least one byte per column; a result without columns has no rows
            int rowCount = in.readLength(columns.isEmpty() ? 0 : in.remaining() / columns.size());
            List<Object[]> rows = new ArrayList<>(rowCount);
            for (int r = 0; r < rowCount; r++) {
                Object[] row = new Object[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = ValueCodec.read(in, 0);
                }
                rows.add(row);
            }
            if (in.remaining() != 0) {
                throw new CorruptPayloadException(in.remaining() + " bytes after the last row");
            }
            return new ResultSnapshot(columns, rows, zone, null);
        } catch (CorruptPayloadException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // out-of-range numbers for the java.time factories, bad zone ids and the like
            throw new CorruptPayloadException("undecodable payload: " + e, e);
        }
    }

    /** The payload up to (not including) the row count. */
    static void writeHeader(ByteWriter out, List<ColumnMeta> columns, String zone) {
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeString(zone);
        out.writeUVarInt(columns.size());
        List<String> table = new ArrayList<>();
        for (ColumnMeta c : columns) {
            writeString(out, table, c.label());
            writeString(out, table, c.name());
            out.writeVarInt(c.type());
            writeString(out, table, c.typeName());
            writeString(out, table, c.className());
            out.writeVarInt(c.precision());
            out.writeVarInt(c.scale());
            out.writeVarInt(c.nullable());
            out.writeUVarInt(flags(c));
            out.writeVarInt(c.displaySize());
            writeString(out, table, c.tableName());
            writeString(out, table, c.schemaName());
            writeString(out, table, c.catalogName());
        }
    }

    private static int flags(ColumnMeta c) {
        return (c.signed() ? SIGNED : 0) | (c.autoIncrement() ? AUTO_INCREMENT : 0)
                | (c.caseSensitive() ? CASE_SENSITIVE : 0) | (c.searchable() ? SEARCHABLE : 0)
                | (c.currency() ? CURRENCY : 0) | (c.readOnly() ? READ_ONLY : 0)
                | (c.writable() ? WRITABLE : 0) | (c.definitelyWritable() ? DEFINITELY_WRITABLE : 0);
    }

    /** 0 is null, 1..n a string seen before, n + 1 a new string that follows. */
    private static void writeString(ByteWriter out, List<String> table, String s) {
        if (s == null) {
            out.writeUVarInt(0);
            return;
        }
        int seen = table.indexOf(s);
        if (seen >= 0) {
            out.writeUVarInt(seen + 1);
            return;
        }
        out.writeUVarInt(table.size() + 1);
        out.writeString(s);
        table.add(s);
    }

    private static String readString(ByteReader in, List<String> table) {
        int ref = in.readLength(table.size() + 1L);
        if (ref == 0) {
            return null;
        }
        if (ref <= table.size()) {
            return table.get(ref - 1);
        }
        String s = in.readString();
        table.add(s);
        return s;
    }

    private static List<ColumnMeta> readColumns(ByteReader in) {
        int count = in.readLength(in.remaining());
        List<ColumnMeta> columns = new ArrayList<>(count);
        List<String> table = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String label = readString(in, table);
            String name = readString(in, table);
            int type = in.readVarInt();
            String typeName = readString(in, table);
            String className = readString(in, table);
            int precision = in.readVarInt();
            int scale = in.readVarInt();
            int nullable = in.readVarInt();
            int flags = in.readLength(0xFF);
            int displaySize = in.readVarInt();
            String tableName = readString(in, table);
            String schemaName = readString(in, table);
            String catalogName = readString(in, table);
            columns.add(new ColumnMeta(label, name, type, typeName, className, precision, scale, nullable,
                    (flags & SIGNED) != 0, (flags & AUTO_INCREMENT) != 0, (flags & CASE_SENSITIVE) != 0,
                    (flags & SEARCHABLE) != 0, (flags & CURRENCY) != 0, displaySize,
                    (flags & READ_ONLY) != 0, (flags & WRITABLE) != 0, (flags & DEFINITELY_WRITABLE) != 0,
                    tableName, schemaName, catalogName));
        }
        return columns;
    }
}
