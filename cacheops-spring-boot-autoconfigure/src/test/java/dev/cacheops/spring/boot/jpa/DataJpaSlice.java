package dev.cacheops.spring.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Cacheops;
import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The body of {@code DataJpaSliceIT}: a {@code @DataJpaTest} slice that opts in with
 * {@code @AutoConfigureCacheops} gets a wrapped data source whose repository reads are cached
 * (in-process store, the slice's own transaction). The slice annotations live on the subclass in
 * src/boot4 and src/boot3: their packages differ between Boot 4 and Boot 3.
 */
abstract class DataJpaSlice {
    private static final SchemaDataSource SCHEMA = TestServices.freshPostgresSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PGSimpleDataSource pg = (PGSimpleDataSource) SCHEMA.dataSource();
        String base = ((PGSimpleDataSource) TestServices.postgres()).getURL();
        registry.add("spring.datasource.url", () -> base + (base.contains("?") ? "&" : "?")
                + "currentSchema=" + pg.getCurrentSchema());
        registry.add("spring.datasource.username", pg::getUser);
        registry.add("spring.datasource.password", () -> pg.getPassword() == null ? "" : pg.getPassword());
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    PostRepository posts;

    @Autowired
    Cacheops cacheops;

    @Autowired
    DataSource dataSource;

    @Test
    void theSliceGetsTheCache() throws Exception {
        // written beside the slice's transaction, which stays clean and so may read from the cache
        try (Connection c = SCHEMA.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into post (title, category) values ('sliced', 'slice')");
        }
        assertThat(dataSource.isWrapperFor(com.zaxxer.hikari.HikariDataSource.class)).isTrue();
        assertThat(dataSource).isNotInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
        long hits = cacheops.stats().hits();
        assertThat(posts.findByCategoryOrderById("slice")).hasSize(1);
        posts.findByCategoryOrderById("slice");
        assertThat(cacheops.stats().hits()).isEqualTo(hits + 1);
    }
}
