package dev.cacheops;

import dev.cacheops.testing.TestServices;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link SqlTransactionControlSuite} on PostgreSQL (READ COMMITTED, its default), in a schema of its own. */
class SqlTransactionControlPostgresIT extends SqlTransactionControlSuite {
    private TestServices.SchemaDataSource schema;

    @BeforeAll
    void createSchema() {
        schema = TestServices.freshPostgresSchema();
    }

    @AfterAll
    void dropSchema() {
        schema.close();
    }

    @Override
    DataSource database() {
        return schema.dataSource();
    }
}
