package dev.cacheops.spring.boot.jpa;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.Cacheops;
import dev.cacheops.spring.cache.CacheopsCacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The application of the JPA tests: Boot's auto-configuration, plus a HikariCP pool whose
 * connections come through a {@link StatementLog}, so tests see what reaches PostgreSQL.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan
@EnableCaching
public class JpaApp {

    @Bean
    CacheopsCacheManager cacheManager(Cacheops cacheops) {
        return CacheopsCacheManager.builder(cacheops).allowPackages("dev.cacheops.spring.boot.jpa").build();
    }

    @Bean
    StatementLog statementLog() {
        return new StatementLog();
    }

    @Bean
    HikariDataSource dataSource(DataSourceProperties properties, StatementLog log) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(properties.getUrl());
        pg.setUser(properties.getUsername());
        pg.setPassword(properties.getPassword());
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(log.around(pg));
        pool.setMaximumPoolSize(4);
        return pool;
    }

}
