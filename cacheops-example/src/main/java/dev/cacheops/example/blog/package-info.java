/**
 * The blog: categories, posts and their comments as JPA entities, their Spring Data repositories,
 * and the small HTTP API under {@code /api/posts}.
 */
package dev.cacheops.example.blog;
