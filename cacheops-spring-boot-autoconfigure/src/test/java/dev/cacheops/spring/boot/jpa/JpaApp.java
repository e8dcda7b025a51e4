package dev.cacheops.spring.boot.jpa;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.Cacheops;
import dev.cacheops.spring.cache.CacheopsCacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
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
    HikariDataSource dataSource(@Value("${spring.datasource.url}") String url,
                                @Value("${spring.datasource.username}") String user,
                                @Value("${spring.datasource.password:}") String password, StatementLog log) {
        // NOTE: the properties, not Boot's DataSourceProperties, whose package differs between Boot 3 and 4
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        pg.setUser(user);
        pg.setPassword(password);
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(log.around(pg));
        pool.setMaximumPoolSize(4);
        return pool;
    }

}
