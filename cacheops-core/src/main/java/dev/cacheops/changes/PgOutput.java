package dev.cacheops.changes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes the messages of PostgreSQL's {@code pgoutput} logical decoding plugin, protocol version
 * 1, text format (the PostgreSQL manual, "Logical Replication Message Formats"). Only what
 * invalidation needs: transaction boundaries, relations, row changes and truncations; other
 * messages decode to {@link Other}. Stateless; thread-safe.
 */
final class PgOutput {
    private PgOutput() {
    }

    /** A decoded message. */
    sealed interface Message permits Begin, Commit, Relation, Insert, Update, Delete, Truncate, Other { }

    /** A transaction's start: its commit's position and its 32-bit transaction id. */
    record Begin(long finalLsn, long xid) implements Message { }

    /** A commit; {@code commitMicros} is its time in microseconds since the Unix epoch. */
    record Commit(long commitLsn, long endLsn, long commitMicros) implements Message { }

    /** PostgreSQL's epoch (2000-01-01) in Unix microseconds. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** A table's description, sent before its first change in a session and after it changes. */
    record Relation(int id, String schema, String name, List<Column> columns) implements Message { }

    /** A column of a {@link Relation}; {@code key} when part of the replica identity. */
    record Column(String name, int typeOid, boolean key) { }

    record Insert(int relation, List<Value> row) implements Message { }

    /**
     * @param old    the old row: every column ({@code keyOnly} false, {@code REPLICA IDENTITY FULL})
     *               or the key columns only (when the key changed under the default identity), or
     *               null when the server sent none (the key did not change)
     */
    record Update(int relation, List<Value> old, boolean keyOnly, List<Value> row) implements Message { }

    record Delete(int relation, List<Value> old, boolean keyOnly) implements Message { }

    record Truncate(List<Integer> relations) implements Message { }

    /** A message invalidation ignores (origin, type, logical decoding message). */
    record Other(char type) implements Message { }

    /** One column's value in a change: null SQL value, unchanged TOAST (unknown), or text. */
    record Value(Kind kind, String text) {
        static final Value NULL = new Value(Kind.NULL, null);
        static final Value UNCHANGED = new Value(Kind.UNCHANGED, null);
    }

    enum Kind { NULL, UNCHANGED, TEXT }

    /**
     * Decodes one message.
     *
     * @throws IllegalArgumentException when the bytes are not a pgoutput message this decoder knows
     */
    static Message decode(ByteBuffer b) {
        char type = (char) b.get();
        try {
            return switch (type) {
                case 'B' -> {
                    long lsn = b.getLong();
                    b.getLong(); // commit time
                    yield new Begin(lsn, Integer.toUnsignedLong(b.getInt()));
                }
                case 'C' -> {
                    b.get(); // flags
                    long commit = b.getLong();
                    long end = b.getLong();
                    yield new Commit(commit, end, b.getLong() + PG_EPOCH_MICROS);
                }
                case 'R' -> relation(b);
                case 'I' -> {
                    int rel = b.getInt();
                    expect(b, 'N');
                    yield new Insert(rel, tuple(b));
                }
                case 'U' -> {
                    int rel = b.getInt();
                    char next = (char) b.get();
                    List<Value> old = null;
                    boolean keyOnly = false;
                    if (next == 'K' || next == 'O') {
                        keyOnly = next == 'K';
                        old = tuple(b);
                        next = (char) b.get();
                    }
                    if (next != 'N') {
                        throw new IllegalArgumentException("update without a new tuple: " + next);
                    }
                    yield new Update(rel, old, keyOnly, tuple(b));
                }
                case 'D' -> {
                    int rel = b.getInt();
                    char kind = (char) b.get();
                    if (kind != 'K' && kind != 'O') {
                        throw new IllegalArgumentException("delete without an old tuple: " + kind);
                    }
                    yield new Delete(rel, tuple(b), kind == 'K');
                }
                case 'T' -> {
                    int n = b.getInt();
                    b.get(); // options (CASCADE, RESTART IDENTITY): every truncated table is listed
                    List<Integer> rels = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        rels.add(b.getInt());
                    }
                    yield new Truncate(rels);
                }
                default -> new Other(type);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated pgoutput message of type " + type, e);
        }
    }

    private static Relation relation(ByteBuffer b) {
        int id = b.getInt();
        String schema = string(b);
        String name = string(b);
        b.get(); // replica identity setting
        int n = b.getShort();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean key = (b.get() & 1) != 0;
            String column = string(b);
            int type = b.getInt();
            b.getInt(); // type modifier
            columns.add(new Column(column, type, key));
        }
        return new Relation(id, schema, name, Collections.unmodifiableList(columns));
    }

    private static List<Value> tuple(ByteBuffer b) {
        int n = b.getShort();
        List<Value> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            char kind = (char) b.get();
            switch (kind) {
                case 'n' -> values.add(Value.NULL);
                case 'u' -> values.add(Value.UNCHANGED);
                case 't' -> {
                    int len = b.getInt();
                    byte[] bytes = new byte[len];
                    b.get(bytes);
                    values.add(new Value(Kind.TEXT, new String(bytes, StandardCharsets.UTF_8)));
                }
                default -> throw new IllegalArgumentException("unknown tuple value kind " + kind);
            }
        }
        return values;
    }

    private static void expect(ByteBuffer b, char wanted) {
        char got = (char) b.get();
        if (got != wanted) {
            throw new IllegalArgumentException("expected '" + wanted + "', got '" + got + "'");
        }
    }

    private static String string(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(bytes);
        b.get(); // the terminating zero
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
