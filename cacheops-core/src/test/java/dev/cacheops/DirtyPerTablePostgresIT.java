package dev.cacheops;

import dev.cacheops.testing.TestServices;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DirtyPerTableSuite} on PostgreSQL (READ COMMITTED, its default), in a schema of its own. */
class DirtyPerTablePostgresIT extends DirtyPerTableSuite {
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

    @Override
    List<String> triggerDdl() {
        return List.of("create or replace function i14d_count() returns trigger language plpgsql as "
                        + "$$ begin update i14d_history set n = n + 1 where id = 1; return null; end $$",
                "create trigger i14d_counted after update on i14d_district for each row execute function i14d_count()");
    }

    @Override
    String unknownIsolationStatement() {
        return "set default_transaction_isolation to default";
    }
}
