package dev.cacheops.spring.boot.jpa;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An outer transaction that calls a REQUIRES_NEW one, then reads through JDBC. */
@Service
public class OuterService {
    private final PostService inner;
    private final JdbcTemplate jdbc;

    public OuterService(PostService inner, JdbcTemplate jdbc) {
        this.inner = inner;
        this.jdbc = jdbc;
    }

    /** The title read in the outer transaction after the inner one committed a rename. */
    @Transactional
    public String renameInnerThenRead(long id, String title) {
        String before = jdbc.queryForObject("select title from post where id = ?", String.class, id);
        inner.renameInNewTransaction(id, title);
        String after = jdbc.queryForObject("select title from post where id = ?", String.class, id);
        return before + "->" + after;
    }
}
