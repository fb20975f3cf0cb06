/**
 * Benchmarks of the domain module (not tests; each has a {@code main} that prints its figures):
 * {@link dev.tidemark.core.bench.TreeEvaluatorBenchmark}, the compiled tree evaluator against
 * xgboost4j per row, run by {@code serving/bench/evaluators.sh}.
 */
package dev.tidemark.core.bench;
