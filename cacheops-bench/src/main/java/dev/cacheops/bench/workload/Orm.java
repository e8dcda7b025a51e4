package dev.cacheops.bench.workload;

import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/** Builds Hibernate session factories on a given data source, with or without its own cache. */
final class Orm {
    static {
        // Hibernate logs through JBoss Logging, which would pick java.util.logging: route it to SLF4J
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private Orm() {
    }

    /**
     * A session factory over {@code dataSource}; with {@code secondLevel}, entities, the tag
     * collection and queries marked cacheable are cached in Caffeine's JCache provider.
     */
    static SessionFactory sessionFactory(DataSource dataSource, boolean secondLevel) {
        Configuration cfg = new Configuration()
                .addAnnotatedClass(Category.class)
                .addAnnotatedClass(Tag.class)
                .addAnnotatedClass(Post.class)
                .addAnnotatedClass(Comment.class);
        cfg.getProperties().put("hibernate.connection.datasource", dataSource);
        cfg.setProperty("hibernate.hbm2ddl.auto", "none");
        cfg.setProperty("hibernate.generate_statistics", "true");
        cfg.setProperty("hibernate.cache.use_second_level_cache", Boolean.toString(secondLevel));
        cfg.setProperty("hibernate.cache.use_query_cache", Boolean.toString(secondLevel));
        if (secondLevel) {
            cfg.setProperty("hibernate.cache.region.factory_class", "jcache");
            cfg.setProperty("hibernate.javax.cache.provider",
                    "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider");
            cfg.setProperty("hibernate.javax.cache.missing_cache_strategy", "create");
        }
        return cfg.buildSessionFactory();
    }
}
