package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The demo's tables: category, post (belongs to a category), tag, post_tag (the many-to-many link)
 * and comment (deleted with its post). The DDL is the subset of SQL that H2 and PostgreSQL read
 * alike; ids are given explicitly so both runs of the workload produce the same rows.
 */
final class BlogSchema {
    /** Children first, so the drops never trip over a foreign key. */
    static final List<String> TABLES = List.of("comment", "post_tag", "post", "tag", "category");

    private static final List<String> CREATE = List.of(
            "create table category (id int primary key, name varchar(100) not null)",
            "create table post (id int primary key, category_id int not null references category(id),"
                    + " title varchar(200) not null, body varchar(2000) not null, views int not null,"
                    + " published boolean not null)",
            "create index post_category_idx on post (category_id)",
            "create table tag (id int primary key, name varchar(50) not null)",
            "create table post_tag (post_id int not null references post(id) on delete cascade,"
                    + " tag_id int not null references tag(id), primary key (post_id, tag_id))",
            "create index post_tag_tag_idx on post_tag (tag_id)",
            "create table comment (id int primary key,"
                    + " post_id int not null references post(id) on delete cascade,"
                    + " author varchar(100) not null, body varchar(1000) not null)",
            "create index comment_post_idx on comment (post_id)");

    private BlogSchema() {
    }

    /** Drops the demo's tables if they exist and creates them empty. */
    static void recreate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("drop table if exists " + table);
            }
            for (String ddl : CREATE) {
                s.execute(ddl);
            }
        }
    }
}
