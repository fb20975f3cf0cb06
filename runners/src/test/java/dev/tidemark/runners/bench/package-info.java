/**
 * Benchmarks: harnesses with a {@code main()} that print their figures side by side in one run.
 * They are not tests and do not run in {@code mvn verify}; see docs/benchmarks.md.
 */
package dev.tidemark.runners.bench;
