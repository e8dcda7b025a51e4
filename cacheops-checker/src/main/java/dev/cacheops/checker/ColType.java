package dev.cacheops.checker;

import java.sql.Types;

/** The column types the checker's schema uses, with their JDBC type for {@code setNull}. */
public enum ColType {
    INT(Types.INTEGER), NUM(Types.NUMERIC), BOOL(Types.BOOLEAN), VARCHAR(Types.VARCHAR), TEXT(Types.VARCHAR),
    DATE(Types.DATE), TS(Types.TIMESTAMP), TSTZ(Types.TIMESTAMP_WITH_TIMEZONE), UUID(Types.OTHER);

    final int sqlType;

    ColType(int sqlType) {
        this.sqlType = sqlType;
    }

    boolean ordered() {
        return this != BOOL && this != UUID;
    }

    boolean textual() {
        return this == VARCHAR || this == TEXT;
    }
}
