package dev.cacheops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-statement hints: ours, and the AWS Advanced JDBC Wrapper's {@code CACHE_PARAM}. */
class ScopeCommentTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/* CACHE_PARAM(ttl=300s) */ select 1|true|300000",
            "  /*CACHE_PARAM(ttl=300)*/select 1|true|300000",
            "/* cache_param( ttl = 250ms ) */ select 1|true|250",
            "/* CACHE_PARAM(ttl=5m) */ select 1|true|300000",
            "/* CACHE_PARAM(ttl=2h) */ select 1|true|7200000",
            "/* CACHE_PARAM(foo=bar, ttl=10s) */ select 1|true|10000",
            "/* cacheops:cache timeout=60 */ select 1|true|60000",
            "/* cacheops:nocache */ select 1|false|0",
            "/* cacheops:cache */ select 1|true|0",
    })
    void hints(String sql, boolean cache, long millis) {
        Scope s = Scope.ofComment(sql);
        assertThat(s).isNotNull();
        assertThat(s.cache()).isEqualTo(cache);
        assertThat(s.timeoutMillis()).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "select 1 /* CACHE_PARAM(ttl=300s) */",          // not leading: the AWS wrapper ignores it too
            "/* CACHE_PARAM(ttl=0s) */ select 1",
            "/* CACHE_PARAM(ttl=soon) */ select 1",
            "/* CACHE_PARAM() */ select 1",
            "/* CACHE_PARAM(ttl=300d) */ select 1",
            "/* other comment */ select 1",
            "/* CACHE_PARAM(ttl=300s) select 1",
            "select 1",
    })
    void notHints(String sql) {
        assertThat(Scope.ofComment(sql)).isNull();
    }
}
