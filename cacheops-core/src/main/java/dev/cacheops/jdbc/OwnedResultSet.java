package dev.cacheops.jdbc;

import java.sql.ResultSet;
import java.sql.Statement;

/** A driver result set whose {@code getStatement()} answers the wrapping statement. */
class OwnedResultSet extends DelegatingResultSet {
    private final Statement owner;

    OwnedResultSet(ResultSet delegate, Statement owner) {
        super(delegate);
        this.owner = owner;
    }

    @Override
    public Statement getStatement() {
        return owner;
    }
}
