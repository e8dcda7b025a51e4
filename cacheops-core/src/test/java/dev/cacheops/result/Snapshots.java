package dev.cacheops.result;

import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;

/** Builds snapshots directly, for tests that need no database. */
final class Snapshots {
    private Snapshots() {
    }

    static ColumnMeta column(String label, int type, String typeName, String className) {
        return new ColumnMeta(label, label, type, typeName, className, 10, 0, ResultSetMetaData.columnNullable,
                true, false, true, true, false, 10, false, true, false, "users", "public", "test");
    }

    static ColumnMeta column(String label) {
        return column(label, Types.OTHER, "other", Object.class.getName());
    }

    /** A snapshot of one column holding each of {@code values} in its own row. */
    static ResultSnapshot oneColumn(Object... values) {
        List<Object[]> rows = new ArrayList<>();
        for (Object v : values) {
            rows.add(new Object[] {v});
        }
        return new ResultSnapshot(List.of(column("v")), rows, TimeZone.getDefault().getID(), null);
    }

    static ResultSnapshot of(List<ColumnMeta> columns, Object[]... rows) {
        return new ResultSnapshot(columns, Arrays.asList(rows), TimeZone.getDefault().getID(), null);
    }
}
