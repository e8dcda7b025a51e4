package dev.cacheops.bench.jmh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.AnalyzerSettings;
import dev.cacheops.sql.SchemaLookup;
import dev.cacheops.sql.StatementAnalyzer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The statement analyser ({@link StatementAnalyzer}, public) alone, no database: {@code cold}
 * analyses a new SQL string each time (a comment with a counter makes it new, as an application
 * building SQL with literals would), {@code reanalysed} parses the same string again (no memo),
 * and {@code memoised} looks the analysis up in a Caffeine cache keyed by the SQL, which is what
 * the engine's plan cache does for every statement after its first.
 *
 * <p>Run alone: {@code java -jar cacheops-bench/target/cacheops-bench.jar --jmh AnalyzerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AnalyzerBenchmark {
    @Param({"PK", "PAGE", "COUNT", "AGGREGATE"})
    public BenchQuery query;

    private StatementAnalyzer analyzer;
    private Cache<String, Analysis> memo;
    private long counter;

    @Setup
    public void setUp() {
        analyzer = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);
        memo = Caffeine.newBuilder().maximumSize(10_000).build();
        Analysis analysis = analyzer.analyze(query.hitSql(), SchemaLookup.NONE);
        if (!(analysis instanceof Analysis.Read)) {
            throw new IllegalStateException(query + " is not analysed as a cacheable read: " + analysis);
        }
    }

    @Benchmark
    public Analysis cold() {
        return analyzer.analyze(query.hitSql() + " /* " + (++counter) + " */", SchemaLookup.NONE);
    }

    @Benchmark
    public Analysis reanalysed() {
        return analyzer.analyze(query.hitSql(), SchemaLookup.NONE);
    }

    @Benchmark
    public Analysis memoised() {
        return memo.get(query.hitSql(), sql -> analyzer.analyze(sql, SchemaLookup.NONE));
    }
}
