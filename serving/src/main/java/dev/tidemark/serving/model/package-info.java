/**
 * Models and their lifecycle: the repository they are read from ({@link
 * dev.tidemark.serving.model.ModelRepository}, {@code file://} or {@code s3://}), one loaded
 * version ({@link dev.tidemark.serving.model.LoadedModel}: XGBoost booster plus the feature spec
 * saved with it), dynamic batching ({@link dev.tidemark.serving.model.Batcher}) and the set of
 * served models with hot reload ({@link dev.tidemark.serving.model.ModelRegistry}).
 */
package dev.tidemark.serving.model;
