package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code TRUNCATE} commits the open transaction on H2 (and MariaDB), with the writes before it: a
 * rollback afterwards undoes none of them, so their invalidations must not wait for the commit
 * (DESIGN §7). Embedded H2, in-process store.
 */
class ImplicitCommitH2Test {
    private static final String COUNT = "select count(*) from post where category_id = ?";

    private JdbcDataSource h2;
    private Cacheops cacheops;
    private DataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:implicit" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table post (id int primary key, category_id int not null, title varchar(40))");
            s.execute("create table log (msg varchar(40))");
            s.execute("insert into post select x, mod(x, 3), 'p' || x from system_range(1, 30)");
            s.execute("insert into log values ('a')");
        }
    }

    @AfterEach
    void tearDown() {
        if (cacheops != null) {
            cacheops.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Consistency.class)
    void aTruncateInATransactionInvalidatesTheWritesItCommitted(Consistency consistency) throws SQLException {
        cacheops = Cacheops.builder().inMemory().consistency(consistency)
                .profile("*", Op.ALL, Duration.ofHours(1)).build();
        ds = cacheops.wrap(h2);
        assertThat(count(ds)).isEqualTo(10);
        long hits = cacheops.stats().hits();
        assertThat(count(ds)).isEqualTo(10);
        assertThat(cacheops.stats().hits()).as("cached").isEqualTo(hits + 1);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into post values (100, 1, 'new')");
                s.executeUpdate("truncate table log");
            }
            c.rollback();
        }

        assertThat(count(h2)).as("the truncate committed the insert").isEqualTo(11);
        assertThat(count(ds)).isEqualTo(11);
    }

    private static long count(DataSource source) throws SQLException {
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
