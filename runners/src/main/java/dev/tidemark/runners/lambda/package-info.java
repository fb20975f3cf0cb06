/**
 * Lambda architecture, serving layer: {@link dev.tidemark.runners.lambda.ServingView} merges the
 * batch view (recomputed from the archive) with the speed view (computed from Kafka).
 */
package dev.tidemark.runners.lambda;
