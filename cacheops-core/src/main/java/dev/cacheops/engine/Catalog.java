package dev.cacheops.engine;

import dev.cacheops.protocol.Canonical;
import dev.cacheops.protocol.ValueKind;
import dev.cacheops.sql.TableName;
import dev.cacheops.sql.ValueRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Table metadata of one database, read through {@link DatabaseMetaData} and kept until a DDL
 * statement passes through the wrapper. Resolves table names the way the database does (search
 * path, case folding), so that the reading and the writing side always name a table alike.
 * Thread-safe.
 */
final class Catalog {
    private static final Pattern STRING_DEFAULT = Pattern.compile("^\\(?'((?:[^']|'')*)'\\)?(?:::[\\w\\s\"]+(?:\\[\\])?)*$");
    private static final Pattern NUMBER_DEFAULT = Pattern.compile("^\\(?(-?\\d+(?:\\.\\d+)?)\\)?(?:::[\\w\\s\"]+)*$");
    private static final Pattern NULL_DEFAULT = Pattern.compile("^NULL(?:::[\\w\\s\"]+)*$", Pattern.CASE_INSENSITIVE);

    private final String product;
    private final boolean upperCase;
    private final boolean catalogsAsSchemas;
    private final List<String> searchPath;
    private final boolean returningRows;
    private final boolean deltaTables;
    /** Keyed by the resolution request; positive results only for writers, see {@link #resolve}. */
    private final Map<String, Optional<TableInfo>> tables = new ConcurrentHashMap<>();

    private Catalog(String product, boolean upperCase, boolean catalogsAsSchemas, List<String> searchPath,
                    boolean returningRows, boolean deltaTables) {
        this.product = product;
        this.upperCase = upperCase;
        this.catalogsAsSchemas = catalogsAsSchemas;
        this.searchPath = List.copyOf(searchPath);
        this.returningRows = returningRows;
        this.deltaTables = deltaTables;
    }

    /** Reads the product and the current search path from a connection. */
    static Catalog load(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String product = md.getDatabaseProductName();
        boolean mysql = product.toLowerCase(Locale.ROOT).contains("mysql")
                || product.toLowerCase(Locale.ROOT).contains("mariadb");
        List<String> path = new ArrayList<>();
        if (product.equalsIgnoreCase("PostgreSQL")) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_schemas(false)")) {
                if (rs.next()) {
                    Array a = rs.getArray(1);
                    for (Object o : (Object[]) a.getArray()) {
                        path.add((String) o);
                    }
                }
            }
        } else if (mysql) {
            if (c.getCatalog() != null) {
                path.add(c.getCatalog());
            }
        } else if (c.getSchema() != null) {
            path.add(c.getSchema());
        }
        boolean postgres = product.equalsIgnoreCase("PostgreSQL");
        boolean mariaDb = product.equalsIgnoreCase("MariaDB")
                || md.getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
        int major = md.getDatabaseMajorVersion();
        boolean returning = postgres || mariaDb && (major > 10 || major == 10 && md.getDatabaseMinorVersion() >= 5);
        return new Catalog(product, md.storesUpperCaseIdentifiers(), mysql, path, returning,
                product.equalsIgnoreCase("H2") && major >= 2);
    }

    String product() {
        return product;
    }

    boolean isMysqlLike() {
        return catalogsAsSchemas;
    }

    boolean isPostgres() {
        return product.equalsIgnoreCase("PostgreSQL");
    }

    /** Whether writes can be read as data change delta tables ({@code OLD TABLE (...)}): H2 2.x. */
    boolean deltaTables() {
        return deltaTables;
    }

    /**
     * Whether {@code INSERT} (with {@code SELECT}) and single-table {@code DELETE} accept a
     * {@code RETURNING} list: PostgreSQL, and MariaDB from 10.5 (MySQL has none).
     */
    boolean returningRows() {
        return returningRows;
    }

    /** Whether an {@code INSERT ... SELECT} can return the rows it inserted, one way or the other. */
    boolean returnsInsertedRows() {
        return returningRows || deltaTables;
    }

    /** The search path this catalog resolves unqualified names through. */
    List<String> searchPath() {
        return searchPath;
    }

    /**
     * Resolves a table. Readers may use a remembered "not found"; writers pass {@code fresh} so a
     * table created since is never missed (a missed table would be a missed invalidation).
     *
     * @return the table, or empty when it does not exist or cannot be read
     */
    Optional<TableInfo> resolve(Connection c, TableName name, boolean fresh) {
        String key = name.schema() + "\u0000" + name.name();
        Optional<TableInfo> known = tables.get(key);
        if (known != null && (known.isPresent() || !fresh)) {
            return known;
        }
        Optional<TableInfo> found;
        try {
            found = Optional.ofNullable(find(c, name));
        } catch (SQLException e) {
            // Not cached: the failure may be the transaction's state, not the table's.
            return Optional.empty();
        }
        tables.put(key, found);
        return found;
    }

    /**
     * Resolves a written table, asking the database again when it was not known, and reporting
     * failures: a writer that cannot tell which table it wrote must invalidate everything.
     */
    /** The table if it was found before (what {@link #resolveForWrite} would answer without asking), else empty. */
    Optional<TableInfo> known(TableName name) {
        Optional<TableInfo> known = tables.get(name.schema() + "\u0000" + name.name());
        return known == null ? Optional.empty() : known;
    }

    Optional<TableInfo> resolveForWrite(Connection c, TableName name) throws SQLException {
        String key = name.schema() + "\u0000" + name.name();
        Optional<TableInfo> known = tables.get(key);
        if (known != null && known.isPresent()) {
            return known;
        }
        Optional<TableInfo> found = Optional.ofNullable(find(c, name));
        tables.put(key, found);
        return found;
    }

    /** Forgets everything (after DDL). */
    void clear() {
        tables.clear();
    }

    /** Column names of a table, normalised like the analysis normalises identifiers. */
    Optional<List<String>> columnNames(Connection c, TableName name) {
        return resolve(c, name, false).map(t -> t.columns().keySet().stream().map(this::normalise).toList());
    }

    private String normalise(String stored) {
        return upperCase && stored.equals(stored.toUpperCase(Locale.ROOT)) ? stored.toLowerCase(Locale.ROOT) : stored;
    }

    private TableInfo find(Connection c, TableName name) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<String> schemas = name.schema() != null ? List.of(name.schema()) : searchPath;
        for (String schema : schemas) {
            for (String candidateSchema : variants(schema)) {
                for (String candidate : variants(name.name())) {
                    TableInfo t = load(md, candidateSchema, candidate);
                    if (t != null) {
                        return t;
                    }
                }
            }
        }
        return null;
    }

    /** The name as written, then folded the way this database stores unquoted identifiers. */
    private List<String> variants(String n) {
        String folded = upperCase ? n.toUpperCase(Locale.ROOT) : n.toLowerCase(Locale.ROOT);
        return folded.equals(n) ? List.of(n) : List.of(n, folded);
    }

    private TableInfo load(DatabaseMetaData md, String schema, String table) throws SQLException {
        String esc = md.getSearchStringEscape();
        String cat = catalogsAsSchemas ? schema : null;
        String sch = catalogsAsSchemas ? null : escape(schema, esc);
        String type = null;
        String realSchema = null;
        String realName = null;
        try (ResultSet rs = md.getTables(cat, sch, escape(table, esc), null)) {
            while (rs.next()) {
                String n = rs.getString("TABLE_NAME");
                String s = catalogsAsSchemas ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                // Patterns are case-insensitive in some drivers: keep exact matches only.
                if (n.equals(table) && (s == null || s.equals(schema))) {
                    type = rs.getString("TABLE_TYPE");
                    realSchema = s;
                    realName = n;
                    break;
                }
            }
        }
        if (realName == null) {
            return null;
        }
        String colCat = catalogsAsSchemas ? realSchema : null;
        String colSch = catalogsAsSchemas ? null : realSchema;
        Map<String, TableInfo.Column> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(colCat, colSch == null ? null : escape(colSch, esc), escape(realName, esc), "%")) {
            TreeMap<Integer, TableInfo.Column> ordered = new TreeMap<>();
            while (rs.next()) {
                if (!realName.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String col = rs.getString("COLUMN_NAME");
                ValueKind kind = kindOf(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"));
                String auto = rs.getString("IS_AUTOINCREMENT");
                String gen = safeString(rs, "IS_GENERATEDCOLUMN");
                boolean generated = "YES".equalsIgnoreCase(auto) || "YES".equalsIgnoreCase(gen);
                String def = rs.getString("COLUMN_DEF");
                ordered.put(rs.getInt("ORDINAL_POSITION"),
                        new TableInfo.Column(col, kind, generated ? null : defaultOf(kind, def), generated));
            }
            ordered.values().forEach(col -> columns.put(col.name(), col));
        }
        List<String> pk = new ArrayList<>();
        try (ResultSet rs = md.getPrimaryKeys(colCat, colSch, realName)) {
            TreeMap<Integer, String> seq = new TreeMap<>();
            while (rs.next()) {
                seq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
            pk.addAll(seq.values());
        }
        List<List<String>> unique = uniqueKeys(md, colCat, colSch, realName);
        if (!pk.isEmpty() && !unique.contains(pk)) {
            unique.add(0, pk);
        }
        List<TableInfo.ChildKey> children = children(md, colCat, colSch, realName);
        return new TableInfo(realSchema, realName, type, columns, pk, unique, children,
                triggers(md.getConnection(), realSchema, realName));
    }

    /**
     * Whether writes to a table may run code that writes elsewhere: its triggers (and, on
     * PostgreSQL, rewrite rules; row-level security counts too, since its policies read columns
     * that no query names). JDBC has no portable way to ask, so per product; true for an
     * unknown product or when the question fails.
     */
    private boolean triggers(Connection c, String schema, String table) {
        String lower = product.toLowerCase(Locale.ROOT);
        String sql;
        if (isPostgres()) {
            sql = "select (select count(*) from pg_trigger t join pg_class r on r.oid = t.tgrelid "
                    + "join pg_namespace n on n.oid = r.relnamespace "
                    + "where n.nspname = ? and r.relname = ? and not t.tgisinternal) "
                    + "+ (select count(*) from pg_rules where schemaname = ? and tablename = ?) "
                    // Row-level security: its policies read columns no query names, so a write's
                    // changed columns (DESIGN §4) cannot tell which results it leaves alone.
                    + "+ (select count(*) from pg_class r join pg_namespace n on n.oid = r.relnamespace "
                    + "where n.nspname = ? and r.relname = ? and r.relrowsecurity)";
        } else if (lower.contains("h2") || lower.contains("mysql") || lower.contains("mariadb")) {
            sql = "select count(*) from information_schema.triggers "
                    + "where event_object_schema = ? and event_object_table = ?";
        } else {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i += 2) {
                ps.setString(i, schema);
                ps.setString(i + 1, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return true;
        }
    }

    private static String safeString(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return null;
        }
    }

    private static List<List<String>> uniqueKeys(DatabaseMetaData md, String cat, String sch, String table) {
        Map<String, TreeMap<Integer, String>> byIndex = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(cat, sch, table, true, true)) {
            while (rs.next()) {
                if (rs.getBoolean("NON_UNIQUE") || rs.getString("COLUMN_NAME") == null
                        || safeString(rs, "FILTER_CONDITION") != null) {
                    continue;
                }
                byIndex.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>())
                        .put((int) rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
            }
        } catch (SQLException e) {
            // Unique keys only refine GET classification; without them reads are FETCH.
            return new ArrayList<>();
        }
        List<List<String>> out = new ArrayList<>();
        byIndex.values().forEach(m -> out.add(List.copyOf(m.values())));
        return out;
    }

    private static List<TableInfo.ChildKey> children(DatabaseMetaData md, String cat, String sch, String table)
            throws SQLException {
        Map<String, List<String[]>> byFk = new LinkedHashMap<>();
        Map<String, int[]> rules = new LinkedHashMap<>();
        try (ResultSet rs = md.getExportedKeys(cat, sch, table)) {
            while (rs.next()) {
                String childSchema = rs.getString(cat != null ? "FKTABLE_CAT" : "FKTABLE_SCHEM");
                String child = rs.getString("FKTABLE_NAME");
                String fk = childSchema + "." + child + "." + rs.getString("FK_NAME");
                byFk.computeIfAbsent(fk, k -> new ArrayList<>()).add(new String[] {
                        childSchema, child, rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")});
                rules.put(fk, new int[] {rs.getInt("DELETE_RULE"), rs.getInt("UPDATE_RULE")});
            }
        }
        List<TableInfo.ChildKey> out = new ArrayList<>();
        byFk.forEach((fk, cols) -> {
            int[] r = rules.get(fk);
            if (changesChildren(r[0]) || changesChildren(r[1])) {
                out.add(new TableInfo.ChildKey(cols.get(0)[0], cols.get(0)[1],
                        cols.stream().map(x -> x[2]).toList(), cols.stream().map(x -> x[3]).toList(), r[0], r[1]));
            }
        });
        return out;
    }

    static boolean changesChildren(int rule) {
        return rule == DatabaseMetaData.importedKeyCascade || rule == DatabaseMetaData.importedKeySetNull
                || rule == DatabaseMetaData.importedKeySetDefault;
    }

    private static String escape(String pattern, String esc) {
        if (pattern == null || esc == null || esc.isEmpty()) {
            return pattern;
        }
        return pattern.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    /**
     * The value kind of a column type. Anything whose equality in the database is not exact, or
     * that we do not know, is {@link ValueKind#INEXACT} and never makes a granular condition.
     */
    ValueKind kindOf(int jdbcType, String typeName, int size) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (name.contains("uuid")) {
            return ValueKind.UUID;
        }
        if (name.equals("timestamptz") || name.contains("with time zone") && name.contains("timestamp")) {
            return ValueKind.TIMESTAMPTZ;
        }
        if (name.equals("citext") || name.contains("ignorecase") || name.equals("timetz") || name.contains("time with time zone")) {
            return ValueKind.INEXACT;
        }
        return switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ValueKind.INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> name.equals("money") ? ValueKind.INEXACT : ValueKind.DECIMAL;
            case Types.BOOLEAN -> ValueKind.BOOLEAN;
            case Types.BIT -> name.equals("bool") || name.equals("boolean") || size <= 1 ? ValueKind.BOOLEAN : ValueKind.INEXACT;
            // MySQL and MariaDB compare text with case-insensitive collations by default.
            case Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB ->
                    catalogsAsSchemas || name.contains("enum") ? ValueKind.INEXACT : ValueKind.TEXT;
            case Types.DATE -> ValueKind.DATE;
            case Types.TIME -> ValueKind.TIME;
            case Types.TIMESTAMP -> ValueKind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ValueKind.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> name.contains("uuid") ? ValueKind.UUID : ValueKind.BYTES;
            default -> ValueKind.INEXACT;
        };
    }

    /** The canonical value of a constant default, NO_DEFAULT, or null for an expression. */
    static String defaultOf(ValueKind kind, String def) {
        if (def == null) {
            return TableInfo.Column.NO_DEFAULT;
        }
        String d = def.trim();
        Matcher m = STRING_DEFAULT.matcher(d);
        if (m.matches()) {
            return Canonical.of(kind, m.group(1).replace("''", "'"));
        }
        m = NUMBER_DEFAULT.matcher(d);
        if (m.matches()) {
            return Canonical.of(kind, new ValueRef.Literal(ValueRef.LiteralType.NUMBER, m.group(1)));
        }
        if (d.equalsIgnoreCase("true") || d.equalsIgnoreCase("false")) {
            return Canonical.of(kind, Boolean.valueOf(d.toLowerCase(Locale.ROOT)));
        }
        if (NULL_DEFAULT.matcher(d).matches()) {
            return Canonical.NULL;
        }
        return null;
    }
}
