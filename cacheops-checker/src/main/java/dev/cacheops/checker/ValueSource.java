package dev.cacheops.checker;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Draws column values from small domains (so equality conditions and writes keep meeting each
 * other) and renders them as literals or parameters. Tracks the next free primary key of each
 * table, so generated inserts never collide. Not thread-safe; deterministic for a given
 * {@link Random}.
 */
final class ValueSource {
    private static final List<String> NAMES = List.of("ann", "bob", "cid", "dee", "eve", "fay", "gus", "hal");
    private static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "Alpha");
    private static final List<String> RATINGS = List.of("1.00", "2.50", "3.25", "4.75", "5.00", "2.5");
    private static final List<UUID> UUIDS = List.of(
            UUID.fromString("00000000-0000-0000-0000-000000000001"),
            UUID.fromString("6f1c2b0a-3d4e-4f50-8a6b-7c8d9e0f1a2b"),
            UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));

    private final Random random;
    private final Dialect dialect;
    private final Map<String, Integer> nextId = new HashMap<>();

    ValueSource(Random random, Dialect dialect) {
        this.random = random;
        this.dialect = dialect;
        for (Schema.Table t : Schema.TABLES) {
            nextId.put(t.name(), 1);
        }
    }

    Random random() {
        return random;
    }

    /** A fresh primary key for {@code table}. */
    int freshId(String table) {
        return nextId.merge(table, 1, Integer::sum) - 1;
    }

    /** A key that probably exists (or existed) in {@code table}, now and then one that never did. */
    int someId(String table) {
        int bound = nextId.get(table);
        if (bound <= 1 || random.nextInt(20) == 0) {
            return 1 + random.nextInt(bound + 2);
        }
        return 1 + random.nextInt(bound - 1);
    }

    /** A value for the column, null with some probability when the column allows it. */
    Object value(Schema.Table table, Schema.Column col) {
        if (col.nullable() && random.nextInt(6) == 0) {
            return null;
        }
        return nonNull(table, col);
    }

    /** A non-null value for the column. */
    Object nonNull(Schema.Table table, Schema.Column col) {
        Schema.Table ref = Schema.REFERENCES.get(table.name() + "." + col.name());
        if (ref != null) {
            return someId(ref.name());
        }
        if (col.name().equals("id")) {
            return someId(table.name());
        }
        return switch (col.type()) {
            // score2 = score * 2: even values, so that conditions on it match rows
            case INT -> col.name().equals("views") ? random.nextInt(12)
                    : col.name().equals("score2") ? 2 * random.nextInt(8) : random.nextInt(8);
            case NUM -> new BigDecimal(pick(RATINGS));
            case BOOL -> random.nextBoolean();
            case VARCHAR -> col.name().equals("email") ? pick(NAMES) + "@x.org" : col.name().equals("name")
                    || col.name().equals("label") ? pick(NAMES) : pick(WORDS);
            case TEXT -> pick(WORDS) + " " + pick(WORDS);
            case DATE -> LocalDate.of(2024, 1, 1).plusDays(random.nextInt(5));
            case TS -> LocalDateTime.of(2024, 1, 1, 10, 0).plusHours(random.nextInt(5));
            case TSTZ -> OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC).plusHours(random.nextInt(5))
                    .withOffsetSameInstant(random.nextBoolean() ? ZoneOffset.UTC : ZoneOffset.ofHours(2));
            case UUID -> pick(UUIDS);
        };
    }

    /**
     * The value as a literal or (when {@code prepared} and by chance) a parameter; now and then in
     * another spelling of the same value ({@code '5'} or a {@code Long} for an integer,
     * {@code 2.500} for {@code 2.5}, an upper-case UUID, a plain string for a date or timestamp),
     * since the cache must canonicalise them all to one form.
     */
    Frag render(Object value, ColType type, boolean prepared) {
        boolean variant = value != null && random.nextInt(5) == 0;
        if (prepared && random.nextInt(3) != 0) {
            if (variant && type == ColType.INT) {
                return Frag.param(new Param(((Number) value).longValue(), type));
            }
            if (variant && type == ColType.NUM) {
                return Frag.param(new Param(((BigDecimal) value).setScale(3), type));
            }
            return Frag.param(new Param(value, type));
        }
        if (variant) {
            switch (type) {
                case INT:
                    return Frag.of("'" + value + "'");
                case NUM:
                    return Frag.of(((BigDecimal) value).setScale(3).toPlainString());
                case UUID:
                    return Frag.of("'" + value.toString().toUpperCase(java.util.Locale.ROOT) + "'");
                case DATE:
                case TS:
                case TSTZ:
                    String lit = literal(value, type);
                    lit = lit.substring(lit.indexOf('\''));
                    if (type == ColType.TSTZ && random.nextBoolean()) {
                        // no offset: the database reads it in the session's time zone
                        lit = lit.substring(0, 20) + "'";
                    }
                    return Frag.of(lit);
                default:
                    break;
            }
        }
        return Frag.of(literal(value, type));
    }

    /** The SQL literal of a value. */
    String literal(Object v, ColType type) {
        if (v == null) {
            return "null";
        }
        return switch (type) {
            case INT, BOOL -> v.toString();
            case NUM -> ((BigDecimal) v).toPlainString();
            case VARCHAR, TEXT, UUID -> "'" + v.toString().replace("'", "''") + "'";
            case DATE -> "date '" + v + "'";
            case TS -> "timestamp '" + v.toString().replace('T', ' ') + (v.toString().length() == 16 ? ":00" : "") + "'";
            case TSTZ -> dialect.timestampTzLiteral(tsText((OffsetDateTime) v));
        };
    }

    private static String tsText(OffsetDateTime t) {
        String s = t.toLocalDateTime().toString().replace('T', ' ');
        if (s.length() == 16) {
            s += ":00";
        }
        return s + t.getOffset().getId().replace("Z", "+00:00");
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
