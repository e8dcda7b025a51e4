/**
 * The blog domain mapped with Jakarta Persistence annotations for the Hibernate compatibility test
 * (the tables are created by {@code BlogFixture}, not by Hibernate).
 */
package dev.cacheops.compat.blog;
