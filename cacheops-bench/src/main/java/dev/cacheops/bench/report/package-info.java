/**
 * Turns measured results into {@code docs/BENCHMARKS.md}: the machine, every target with its
 * measured value and PASS/MISS (computed, never written by hand), the tables, and PNG charts drawn
 * with XChart.
 */
package dev.cacheops.bench.report;
