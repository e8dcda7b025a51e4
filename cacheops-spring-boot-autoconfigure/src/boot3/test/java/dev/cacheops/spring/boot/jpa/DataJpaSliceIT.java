package dev.cacheops.spring.boot.jpa;

import dev.cacheops.spring.boot.AutoConfigureCacheops;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;

/**
 * A {@code @DataJpaTest} slice opts in with {@link AutoConfigureCacheops}: its data source is
 * wrapped and repository reads are cached ({@link DataJpaSlice}, the test itself).
 */
@DataJpaTest(properties = {"spring.jpa.hibernate.ddl-auto=create-drop", "cacheops.profiles.post.ops=all"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@AutoConfigureCacheops
class DataJpaSliceIT extends DataJpaSlice {
}
