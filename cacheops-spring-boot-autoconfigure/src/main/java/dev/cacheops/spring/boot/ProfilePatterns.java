package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

/**
 * Once every singleton exists (the JPA persistence units included): lets profile patterns name
 * JPA entities ({@code Post}, {@code com.example.Post}) by registering each entity's table as an
 * alias ({@link Cacheops#tableAliases}), and fails start-up on a pattern that names neither a
 * table nor an entity. Entity tables come from Hibernate's mapping metamodel (the JPA API has no
 * table names); with another provider only table names are accepted.
 *
 * <p>A pattern with {@code *} is not checked (it may match tables created later); neither is any
 * when the database cannot be asked (an outage at start-up must not stop the application).
 */
final class ProfilePatterns implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(ProfilePatterns.class);
    private static final boolean HIBERNATE = ClassUtils.isPresent(
            "org.hibernate.engine.spi.SessionFactoryImplementor", ProfilePatterns.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory", ProfilePatterns.class.getClassLoader());

    private final Cacheops cacheops;
    private final CacheopsProperties properties;
    private final ListableBeanFactory beans;

    ProfilePatterns(Cacheops cacheops, CacheopsProperties properties, ListableBeanFactory beans) {
        this.cacheops = cacheops;
        this.properties = properties;
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, String> aliases = HIBERNATE ? EntityTables.of(beans) : Map.of();
        if (!aliases.isEmpty()) {
            cacheops.tableAliases(aliases);
        }
        if (!properties.isValidatePatterns()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        Set<String> patterns = new LinkedHashSet<>(properties.getProfiles().keySet());
        patterns.addAll(properties.getDisabled());
        for (String pattern : patterns) {
            if (pattern.contains("*") || aliases.keySet().stream().anyMatch(pattern::equalsIgnoreCase)) {
                continue;
            }
            Optional<Boolean> exists = cacheops.tableExists(pattern);
            if (exists.isEmpty()) {
                log.debug("cannot check profile pattern '{}': no database could be asked", pattern);
            } else if (!exists.get()) {
                unknown.add(pattern);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("cacheops.profiles / cacheops.disabled: " + unknown
                    + (unknown.size() == 1 ? " names" : " name") + " neither a table of the wrapped data sources nor a "
                    + "JPA entity" + (HIBERNATE ? "" : " (entity names need Hibernate)")
                    + "; use a table name, schema.table, an entity name or a pattern with *"
                    + " (or cacheops.validate-patterns=false when the tables are created after start-up)");
        }
    }

    /** Entity name, class name and simple class name of every Hibernate entity, to its table. */
    private static final class EntityTables {
        static Map<String, String> of(ListableBeanFactory beans) {
            Map<String, String> out = new HashMap<>();
            beans.getBeansOfType(EntityManagerFactory.class).values().forEach(emf -> {
                SessionFactoryImplementor sf;
                try {
                    sf = emf.unwrap(SessionFactoryImplementor.class);
                } catch (RuntimeException e) {
                    return; // another JPA provider
                }
                // Entity names from JPA's metamodel, tables from Hibernate's (JPA has none).
                for (EntityType<?> entity : emf.getMetamodel().getEntities()) {
                    Class<?> type = entity.getJavaType();
                    String table = unquote(sf.getMappingMetamodel().getEntityDescriptor(type)
                            .getMappedTableDetails().getTableName());
                    out.put(entity.getName(), table);
                    out.put(type.getName(), table);
                    out.put(type.getSimpleName(), table);
                }
            });
            return out;
        }

        private static String unquote(String name) {
            return name.replace("\"", "").replace("`", "");
        }
    }
}
