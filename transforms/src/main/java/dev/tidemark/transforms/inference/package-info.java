/**
 * In-process model inference for streams: a version of the taxi-tips model loaded from the model
 * store ({@link dev.tidemark.core.model.ModelVersion}), hot-swapped when a newer complete version
 * appears ({@link dev.tidemark.core.model.HotSwapModel}), applied in batches by {@link
 * dev.tidemark.transforms.inference.ScoreTrips}, and watched by {@link
 * dev.tidemark.transforms.inference.MonitorPredictions} (throughput, latency, prediction
 * distribution, watermark lag, input drift against the training data). Predictions that need
 * attention ({@link dev.tidemark.transforms.inference.AttentionPolicy}) get a TreeSHAP explanation
 * by the version that made them in {@link dev.tidemark.transforms.inference.ExplainForReview}.
 */
package dev.tidemark.transforms.inference;
