/**
 * Annotations for Spring applications: {@link dev.cacheops.spring.Cached} and
 * {@link dev.cacheops.spring.NoCache} on bean and repository methods. The auto-configuration
 * that applies them lives in {@code dev.cacheops.spring.boot}.
 */
package dev.cacheops.spring;
