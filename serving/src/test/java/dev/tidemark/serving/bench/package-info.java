/**
 * The load benchmark's Java side (not a test; run by {@code serving/bench/run.sh}): prepares a
 * model repository and measures the in-process predict rate next to the HTTP figures from wrk.
 */
package dev.tidemark.serving.bench;
