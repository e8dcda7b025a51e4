package dev.cacheops.spring.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.Cacheops;
import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Profile patterns may name JPA entities (simple or qualified class name), mapped to their tables
 * through Hibernate's metamodel; a pattern naming neither a table nor an entity stops start-up
 * with a message that names it.
 */
class EntityNamePatternsIT {
    private static final SchemaDataSource SCHEMA = TestServices.freshPostgresSchema();

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Test
    void entityNamesSelectTheirTablesProfiles() {
        try (ConfigurableApplicationContext context = start(
                "cacheops.profiles[dev.cacheops.spring.boot.jpa.Author].ops=get",
                "cacheops.profiles[Article].ops=count",
                "cacheops.profiles.comment.ops=all")) {
            Cacheops cacheops = context.getBean(Cacheops.class);
            assertThat(cacheops.profileOf("author")).as("by the entity's class name").isPresent()
                    .get().extracting(p -> p.pattern()).isEqualTo("dev.cacheops.spring.boot.jpa.Author");
            assertThat(cacheops.profileOf("article")).isPresent();
            assertThat(cacheops.profileOf("post")).as("no pattern names post").isEmpty();
            AuthorRepository authors = context.getBean(AuthorRepository.class);
            Author a = authors.save(new Author("entity-" + System.nanoTime()));
            long hits = cacheops.stats().hits();
            for (int i = 0; i < 5 && cacheops.stats().hits() == hits; i++) {
                authors.findById(a.getId());
                sleep();
            }
            assertThat(cacheops.stats().hits()).as("findById of Author cached through its entity's pattern")
                    .isGreaterThan(hits);
        }
    }

    @Test
    void aPatternNamingNeitherATableNorAnEntityStopsStartUp() {
        assertThatThrownBy(() -> start("cacheops.profiles.nosuchthing.ops=all").close())
                .hasStackTraceContaining("nosuchthing")
                .hasStackTraceContaining("neither a table");
    }

    private static ConfigurableApplicationContext start(String... properties) {
        PGSimpleDataSource pg = (PGSimpleDataSource) SCHEMA.dataSource();
        String base = ((PGSimpleDataSource) TestServices.postgres()).getURL();
        return new SpringApplicationBuilder(JpaApp.class)
                .properties("spring.jpa.hibernate.ddl-auto=create-drop", "spring.jpa.open-in-view=false",
                        "spring.datasource.url=" + base + (base.contains("?") ? "&" : "?")
                                + "currentSchema=" + pg.getCurrentSchema(),
                        "spring.datasource.username=" + pg.getUser(),
                        "spring.datasource.password=" + (pg.getPassword() == null ? "" : pg.getPassword()),
                        "cacheops.redis.url=" + TestServices.redisUri(),
                        "cacheops.prefix=" + TestServices.uniquePrefix(),
                        "cacheops.redis.timeout=5s")
                .properties(properties)
                .run();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
