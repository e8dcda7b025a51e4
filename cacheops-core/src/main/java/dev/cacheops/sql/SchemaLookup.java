package dev.cacheops.sql;

import java.util.List;
import java.util.Optional;

/**
 * What the analysis may ask about the database: the columns of a table, used to attribute an
 * unqualified column to the right table when several are in scope. Implementations must be fast
 * (cached) and must not throw; an empty answer means "unknown", and the analysis then drops any
 * term it cannot attribute with certainty.
 */
@FunctionalInterface
public interface SchemaLookup {
    /** A lookup that knows nothing. */
    SchemaLookup NONE = table -> Optional.empty();

    /**
     * The table's column names, normalised like {@link Term#column()} (unquoted lower case), or
     * empty when unknown.
     */
    Optional<List<String>> columns(TableName table);
}
