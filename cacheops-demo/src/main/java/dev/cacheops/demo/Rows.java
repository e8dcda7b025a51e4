package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs one read and reads its whole result, the way an application would consume it. */
final class Rows {
    private Rows() {
    }

    /** Every row of the query's result, each as its columns' {@code getObject} values. */
    static List<List<Object>> query(Connection c, Workload.Sql sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.text())) {
            return query(ps, sql);
        }
    }

    /** The same on a statement already prepared for {@code sql}'s text (left open). */
    static List<List<Object>> query(PreparedStatement ps, Workload.Sql sql) throws SQLException {
        Workload.bind(ps, sql.params());
        try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
            return rows;
        }
    }
}
