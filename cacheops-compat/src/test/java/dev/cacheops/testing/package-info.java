/**
 * Test services copied from cacheops-core's tests (which publish no test-jar): PostgreSQL and Redis
 * discovery, and the counting data source that tells a hit from a miss.
 */
package dev.cacheops.testing;
