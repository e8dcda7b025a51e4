package dev.cacheops.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recorder's limits and refusals, against H2. */
class ResultRecorderTest {
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        try (Statement s = connection.createStatement()) {
            s.execute("create table t (id int primary key, name varchar(50), doc clob, span interval day)");
            s.execute("insert into t select x, 'name ' || x, null, null from system_range(1, 10)");
            s.execute("update t set doc = 'a long text', span = interval '3' day where id = 7");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /** Reads the whole result as a caller would, feeding the recorder; returns the rows seen. */
    private static int readAll(ResultSet rs, ResultRecorder recorder) throws SQLException {
        int rows = 0;
        while (rs.next()) {
            recorder.record(rs);
            rs.getString(2);
            rows++;
        }
        return rows;
    }

    private ResultSet query(String sql) throws SQLException {
        return connection.createStatement().executeQuery(sql);
    }

    @Test
    void recordsAWholeResultWithinTheLimits() throws SQLException {
        try (ResultSet rs = query("select id, name from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 10, 10_000);
            assertThat(readAll(rs, recorder)).isEqualTo(10);
            assertThat(recorder.recording()).isTrue();
            assertThat(recorder.overLimit()).isFalse();
            assertThat(recorder.unsupported()).isFalse();
            assertThat(recorder.reason()).isNull();
            ResultSnapshot s = recorder.snapshot();
            assertThat(s.rowCount()).isEqualTo(10);
            assertThat(s.value(9, 1)).isEqualTo("name 10");
        }
    }

    @Test
    void tooManyRowsStopsRecordingButNotTheCaller() throws SQLException {
        try (ResultSet rs = query("select id, name from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 5, 10_000);
            assertThat(readAll(rs, recorder)).isEqualTo(10);
            assertThat(recorder.overLimit()).isTrue();
            assertThat(recorder.unsupported()).isFalse();
            assertThat(recorder.reason()).contains("5 rows");
            assertThat(recorder.rowCount()).isZero();
            assertThatThrownBy(recorder::snapshot).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theByteLimitIsExact() throws SQLException {
        int size;
        try (ResultSet rs = query("select id, name from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, 1 << 20);
            readAll(rs, recorder);
            size = ResultCodec.encode(recorder.snapshot()).length;
        }
        // the recorder reserves the row count's widest varint (5 bytes); one byte is used here
        try (ResultSet rs = query("select id, name from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, size + 4);
            readAll(rs, recorder);
            assertThat(recorder.overLimit()).isFalse();
        }
        try (ResultSet rs = query("select id, name from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, size + 3);
            readAll(rs, recorder);
            assertThat(recorder.overLimit()).isTrue();
            assertThat(recorder.reason()).contains("bytes");
        }
    }

    @Test
    void metadataAloneCanExceedTheByteLimit() throws SQLException {
        try (ResultSet rs = query("select id, name from t")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, 10);
            assertThat(recorder.overLimit()).isTrue();
        }
    }

    @Test
    void aClobMakesTheResultUnsupported() throws SQLException {
        try (ResultSet rs = query("select id, doc from t order by id")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, 1 << 20);
            assertThat(readAll(rs, recorder)).isEqualTo(10);
            assertThat(recorder.unsupported()).isTrue();
            assertThat(recorder.overLimit()).isFalse();
            assertThat(recorder.reason()).containsIgnoringCase("clob");
        }
    }

    @Test
    void aDriverSpecificClassMakesTheResultUnsupported() throws SQLException {
        try (ResultSet rs = query("select id, span from t where id = 7")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, 1 << 20);
            readAll(rs, recorder);
            assertThat(recorder.unsupported()).isTrue();
            assertThat(recorder.reason()).contains("org.h2.api.Interval");
        }
    }

    @Test
    void aFailingDriverMarksUnsupportedInsteadOfThrowing() throws SQLException {
        try (ResultSet rs = query("select id from t")) {
            ResultRecorder recorder = ResultRecorder.start(rs, 100, 1 << 20);
            rs.next();
            rs.close();
            recorder.record(rs);
            assertThat(recorder.unsupported()).isTrue();
        }
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new ResultRecorder(List.of(), -1, 10)).hasMessageContaining("maxRows");
        assertThatThrownBy(() -> new ResultRecorder(List.of(), 1, -1)).hasMessageContaining("maxBytes");
    }

    @Test
    void metadataOfKeepsEveryAnswer() throws Exception {
        try (ResultSet rs = query("select id as \"Ident\", name from t")) {
            List<ColumnMeta> columns = ResultRecorder.metadataOf(rs.getMetaData());
            assertThat(columns).hasSize(2);
            assertThat(columns.get(0).label()).isEqualTo("Ident");
            assertThat(columns.get(0).name()).isEqualTo("ID");
            assertThat(columns.get(0).tableName()).isEqualTo("T");
            assertThat(ReplayDifferentialSuite.metadata(new SnapshotMetaData(columns)))
                    .isEqualTo(ReplayDifferentialSuite.metadata(rs.getMetaData()));
        }
    }
}
