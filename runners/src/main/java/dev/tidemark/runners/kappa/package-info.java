/**
 * Kappa architecture support: reading a pipeline version's output (a Kafka topic or CSV files) as a
 * keyed view, and the canary comparison of two versions' outputs ({@link
 * dev.tidemark.runners.kappa.Canary}).
 */
package dev.tidemark.runners.kappa;
