package dev.cacheops.checker;

import java.util.List;
import java.util.Random;

/**
 * Reads and writes of the two tables joined by the checker's trigger ({@link Schema#triggerDdl}):
 * writes to {@code note} (each row written counts one up in {@code note_count}, which the cache
 * does not see) and reads of both. A transaction that writes {@code note} and then reads {@code
 * note_count} must see its trigger's uncommitted write, so the write must dirty the whole
 * transaction. Not thread-safe.
 */
final class TriggerGenerator {
    private final Random random;

    TriggerGenerator(Random random) {
        this.random = random;
    }

    /** A write to {@code note} on connection {@code conn}. */
    Action.Write write(int conn) {
        int id = 1 + random.nextInt(4);
        return switch (random.nextInt(3)) {
            case 0 -> new Action.Write(conn, "note_insert", List.of("insert into note (id, body) values (?, ?)"),
                    List.of(List.of(new Param(id, ColType.INT), new Param("n" + random.nextInt(100), ColType.VARCHAR))),
                    Action.WriteMode.PREPARED);
            case 1 -> new Action.Write(conn, "note_update", List.of("update note set body = ? where id = ?"),
                    List.of(List.of(new Param("n" + random.nextInt(100), ColType.VARCHAR), new Param(id, ColType.INT))),
                    Action.WriteMode.PREPARED);
            default -> new Action.Write(conn, "note_delete", List.of("delete from note where id = " + id),
                    List.of(List.of()), Action.WriteMode.STATEMENT);
        };
    }

    /** The read of what the trigger writes. */
    Action.Read countRead(int conn) {
        return new Action.Read(conn, "note_count", "select n from note_count where id = 1", List.of(), false, true, 0);
    }

    /** A read of {@code note_count} or {@code note} on connection {@code conn}. */
    Action.Read read(int conn) {
        return switch (random.nextInt(3)) {
            case 0 -> countRead(conn);
            case 1 -> new Action.Read(conn, "note_get", "select id, body from note where id = ?",
                    List.of(new Param(1 + random.nextInt(4), ColType.INT)), true, true, 0);
            default -> new Action.Read(conn, "note_join", "select c.n, count(x.id) from note_count c left join note x "
                    + "on x.id > 0 where c.id = 1 group by c.n", List.of(), true, true, 0);
        };
    }
}
