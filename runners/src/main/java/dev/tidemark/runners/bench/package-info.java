/**
 * Benchmarks that run on demand, never in {@code mvn verify}: {@link
 * dev.tidemark.runners.bench.EventLogBenchmark} measures the event log's produce and consume rates.
 */
package dev.tidemark.runners.bench;
