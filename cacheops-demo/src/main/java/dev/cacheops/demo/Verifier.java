package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Compares results served through the cache with the same query run on the database directly,
 * on its own connection that bypasses both the cache and the statement counter. The workload is
 * single-threaded and every write has committed before the next read starts, so any difference is
 * a stale or corrupted cached result. Not thread-safe.
 */
final class Verifier implements AutoCloseable {
    /** How many differences to keep word for word for the report. */
    private static final int SAMPLES = 5;

    private final Connection raw;
    private long checked;
    private long mismatches;
    private final List<String> samples = new ArrayList<>();

    Verifier(DataSource database) throws SQLException {
        this.raw = database.getConnection();
    }

    /** Runs {@code sql} on the database and records whether {@code cached} equals its result. */
    void check(long operation, Workload.Sql sql, List<List<Object>> cached) throws SQLException {
        List<List<Object>> expected = Rows.query(raw, sql);
        checked++;
        if (!expected.equals(cached)) {
            mismatches++;
            if (samples.size() < SAMPLES) {
                samples.add("operation " + operation + ": " + sql.text() + " " + sql.params()
                        + "\n      cached:   " + abbreviate(cached) + "\n      database: " + abbreviate(expected));
            }
        }
    }

    long checked() {
        return checked;
    }

    long mismatches() {
        return mismatches;
    }

    List<String> samples() {
        return List.copyOf(samples);
    }

    private static String abbreviate(List<List<Object>> rows) {
        String s = rows.toString();
        return s.length() > 300 ? s.substring(0, 300) + "... (" + rows.size() + " rows)" : s;
    }

    @Override
    public void close() throws SQLException {
        raw.close();
    }
}
