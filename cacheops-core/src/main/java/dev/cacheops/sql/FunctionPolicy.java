package dev.cacheops.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a function may appear in a cached read. Only known deterministic built-ins that
 * read no table are allowed: a user-defined function can read other tables or depend on the
 * session, and the analysis cannot see inside it, so it is never guessed safe.
 */
final class FunctionPolicy {
    /** Functions (and keywords parsed as functions or columns) whose result changes between calls. */
    private static final Set<String> VOLATILE = names(
            "now", "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "sysdate",
            "systimestamp", "getdate", "getutcdate", "sysdatetime", "utc_timestamp", "utc_date", "utc_time",
            "curdate", "curtime", "unix_timestamp",
            "random", "rand", "setseed", "nextval", "currval", "lastval", "setval",
            "gen_random_uuid", "uuid", "random_uuid", "newid", "uuid_short",
            "current_user", "session_user", "user", "system_user", "current_role", "current_schema",
            "current_schemas", "current_database", "current_catalog", "current_setting", "set_config",
            "version", "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port",
            "last_insert_id", "found_rows", "row_count", "connection_id", "database", "schema",
            "sleep", "pg_sleep", "get_lock", "release_lock", "benchmark");

    private static final Set<String> VOLATILE_PREFIXES = Set.of(
            "pg_", "txid_", "lo_", "dblink", "uuid_generate_");

    /** Aggregate functions: they make a read {@code COUNT} or {@code AGGREGATE}. */
    static final Set<String> AGGREGATES = names(
            "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "bool_and", "bool_or", "every",
            "bit_and", "bit_or", "bit_xor", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
            "json_arrayagg", "json_objectagg", "xmlagg", "group_concat", "listagg", "stddev", "stddev_pop",
            "stddev_samp", "variance", "var_pop", "var_samp", "covar_pop", "covar_samp", "corr",
            "regr_slope", "regr_intercept", "regr_count", "regr_r2", "regr_avgx", "regr_avgy",
            "regr_sxx", "regr_syy", "regr_sxy", "percentile_cont", "percentile_disc", "mode", "median",
            "any_value", "count_big", "approx_count_distinct");

    private static final Set<String> SAFE = names(
            // window functions
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
            "first_value", "last_value", "nth_value",
            // strings
            "lower", "upper", "lcase", "ucase", "length", "len", "char_length", "character_length",
            "octet_length", "bit_length", "substring", "substr", "trim", "ltrim", "rtrim", "btrim",
            "concat", "concat_ws", "replace", "translate", "position", "strpos", "instr", "locate",
            "left", "right", "lpad", "rpad", "initcap", "reverse", "repeat", "split_part", "starts_with",
            "regexp_replace", "regexp_matches", "regexp_match", "regexp_like", "regexp_substr",
            "regexp_split_to_array", "regexp_count", "regexp_instr", "md5", "sha1", "sha2", "sha224",
            "sha256", "sha384", "sha512", "encode", "decode", "ascii", "chr", "char", "format", "quote_ident",
            "quote_literal", "quote_nullable", "to_hex", "string_to_array", "array_to_string", "unaccent",
            "soundex", "difference", "space", "overlay", "convert", "collate", "hex", "unhex", "field",
            "find_in_set", "elt", "insert_str",
            // numbers
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "truncate", "sign", "mod", "power", "pow",
            "sqrt", "cbrt", "exp", "ln", "log", "log10", "log2", "pi", "degrees", "radians", "sin", "cos",
            "tan", "asin", "acos", "atan", "atan2", "cot", "div", "width_bucket", "gcd", "lcm", "factorial",
            "scale", "to_number", "bit_count",
            // conditionals and conversions
            "greatest", "least", "coalesce", "nullif", "ifnull", "nvl", "nvl2", "isnull", "if", "iif",
            "decode", "cast", "try_cast", "convert", "to_char", "to_date", "to_timestamp",
            // dates that do not read the clock
            "date_trunc", "date_part", "extract", "date_add", "date_sub", "datediff", "date_diff",
            "dateadd", "datepart", "date_format", "make_date", "make_time", "make_timestamp",
            "make_timestamptz", "make_interval", "justify_days", "justify_hours", "justify_interval",
            "year", "month", "day", "hour", "minute", "second", "dayofweek", "dayofmonth",
            "dayofyear", "weekofyear", "week", "quarter", "last_day", "timestampdiff", "timestampadd",
            "date", "time", "timestamp", "str_to_date", "from_unixtime", "isfinite", "overlaps",
            // json
            "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
            "json_object", "jsonb_object", "json_array", "to_json", "to_jsonb", "row_to_json",
            "array_to_json", "json_extract_path", "jsonb_extract_path", "json_extract_path_text",
            "jsonb_extract_path_text", "json_array_length", "jsonb_array_length", "json_typeof",
            "jsonb_typeof", "jsonb_set", "jsonb_insert", "jsonb_strip_nulls", "json_strip_nulls",
            "jsonb_pretty", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
            "json_array_elements", "jsonb_array_elements", "json_array_elements_text",
            "jsonb_array_elements_text", "json_object_keys", "jsonb_object_keys", "jsonb_path_query",
            "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query_array", "jsonb_path_query_first",
            "json_extract", "json_unquote", "json_contains", "json_value", "json_query", "json_exists",
            "json_length", "json_keys", "json_valid", "json_type",
            // arrays and rows
            "any", "all", "some", "array", "unnest", "array_length", "array_position", "array_positions",
            "array_append", "array_prepend", "array_cat", "array_remove", "array_replace", "array_upper",
            "array_lower", "array_ndims", "array_dims", "cardinality", "array_fill", "row",
            "generate_series", "generate_subscripts", "exists", "in", "not",
            // grouping helpers
            "grouping", "rollup", "cube", "grouping sets");

    /**
     * SQL keywords without brackets that read the clock or the session; JSqlParser returns some of
     * them as plain column names, so an unquoted, unqualified column with one of these names counts.
     */
    private static final Set<String> NILADIC_KEYWORDS = names(
            "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "user", "system_user", "current_role", "current_schema",
            "current_catalog", "sysdate", "systimestamp");

    private final Set<String> extraSafe;
    private final Set<String> extraVolatile;

    FunctionPolicy(AnalyzerSettings settings) {
        this.extraSafe = lowerCase(settings.safeFunctions());
        this.extraVolatile = lowerCase(settings.volatileFunctions());
    }

    private static Set<String> lowerCase(Set<String> names) {
        return Set.copyOf(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * Why a call of this function makes a read uncacheable, or {@code null} when it is allowed.
     *
     * @param name the function name as written, possibly schema-qualified or quoted
     */
    String uncacheableReason(String name) {
        String normalized = normalize(name);
        if (normalized == null) {
            return "function " + name + " from another schema (may read other tables)";
        }
        if (extraVolatile.contains(normalized)) {
            return "volatile function " + normalized;
        }
        if (extraSafe.contains(normalized)) {
            return null;
        }
        if (isBuiltInVolatile(normalized)) {
            return "volatile function " + normalized;
        }
        if (SAFE.contains(normalized) || AGGREGATES.contains(normalized)) {
            return null;
        }
        return "unknown function " + normalized + " (may read other tables or depend on the session)";
    }

    /**
     * Whether a function called by a write may write tables itself: anything but the known
     * built-ins (safe, aggregate or volatile ones like {@code now()} and {@code nextval}, which
     * write no table) and the functions declared safe.
     */
    boolean mayWrite(String name) {
        String normalized = normalize(name);
        if (normalized == null || extraVolatile.contains(normalized)) {
            return true;
        }
        return !(extraSafe.contains(normalized) || isBuiltInVolatile(normalized) || SAFE.contains(normalized)
                || AGGREGATES.contains(normalized));
    }

    /**
     * Whether the application declared this function safe: unlike the built-ins it may read
     * columns the statement does not name (DESIGN §3, "Column sets"), so a read calling it
     * depends on every column.
     */
    boolean declaredSafe(String name) {
        String normalized = normalize(name);
        return normalized != null && extraSafe.contains(normalized) && !SAFE.contains(normalized)
                && !AGGREGATES.contains(normalized);
    }

    /** True for the session and clock keywords that JSqlParser reads as bare column names. */
    static boolean isSessionKeyword(String unquotedLowerName) {
        return NILADIC_KEYWORDS.contains(unquotedLowerName);
    }

    /** The lists are long and hand-written; tolerate a name listed twice. */
    private static Set<String> names(String... names) {
        return Set.copyOf(java.util.Arrays.asList(names));
    }

    private static boolean isBuiltInVolatile(String name) {
        if (VOLATILE.contains(name)) {
            return true;
        }
        for (String prefix : VOLATILE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bare lower-case name; a {@code pg_catalog.} or {@code sys.} qualifier is dropped, any other
     * qualifier (a user schema) gives {@code null}: only the built-in namespace is trusted.
     */
    private static String normalize(String name) {
        String n = name.strip();
        int dot = n.lastIndexOf('.');
        if (dot >= 0) {
            String schema = Identifiers.normalize(n.substring(0, dot));
            if (!schema.equals("pg_catalog") && !schema.equals("sys")) {
                return null;
            }
            n = n.substring(dot + 1);
        }
        return Identifiers.isQuoted(n) ? Identifiers.normalize(n) : n.toLowerCase(Locale.ROOT);
    }
}
