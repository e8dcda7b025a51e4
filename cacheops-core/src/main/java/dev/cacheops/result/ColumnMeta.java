package dev.cacheops.result;

/**
 * Everything {@link java.sql.ResultSetMetaData} says about one column, as recorded from the live
 * result. A getter the driver refused to answer is recorded as {@code null}, {@code 0} or
 * {@code false}. Immutable.
 *
 * @param label              {@code getColumnLabel}
 * @param name               {@code getColumnName}
 * @param type               {@code getColumnType}, a {@link java.sql.Types} constant
 * @param typeName           {@code getColumnTypeName}
 * @param className          {@code getColumnClassName}
 * @param precision          {@code getPrecision}
 * @param scale              {@code getScale}
 * @param nullable           {@code isNullable}, a {@code columnNo...} constant
 * @param signed             {@code isSigned}
 * @param autoIncrement      {@code isAutoIncrement}
 * @param caseSensitive      {@code isCaseSensitive}
 * @param searchable         {@code isSearchable}
 * @param currency           {@code isCurrency}
 * @param displaySize        {@code getColumnDisplaySize}
 * @param readOnly           {@code isReadOnly}
 * @param writable           {@code isWritable}
 * @param definitelyWritable {@code isDefinitelyWritable}
 * @param tableName          {@code getTableName}
 * @param schemaName         {@code getSchemaName}
 * @param catalogName        {@code getCatalogName}
 */
public record ColumnMeta(
        String label, String name, int type, String typeName, String className,
        int precision, int scale, int nullable,
        boolean signed, boolean autoIncrement, boolean caseSensitive, boolean searchable,
        boolean currency, int displaySize,
        boolean readOnly, boolean writable, boolean definitelyWritable,
        String tableName, String schemaName, String catalogName) {
}
