/**
 * Function caching (like cacheops' {@code @cached} and {@code @cached_as}): stable keys for
 * arguments, serialisation of results, and the three ways a result is invalidated: by time, like
 * the queries named as samples, or like every query the function ran (captured automatically).
 * Results go through the same stamp protocol as cached queries: race-free fills and strict
 * consistency apply unchanged.
 */
package dev.cacheops.function;
