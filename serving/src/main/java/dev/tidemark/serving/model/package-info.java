/**
 * Served models and their lifecycle: a served version ({@link
 * dev.tidemark.serving.model.ServedModel}: core's {@code ModelVersion} plus its batcher), dynamic
 * batching ({@link dev.tidemark.serving.model.Batcher}) and the set of served models with hot
 * reload from the model store ({@link dev.tidemark.serving.model.ModelRegistry}, by core's {@code
 * NewerVersions} rule, the in-pipeline scorer's too).
 */
package dev.tidemark.serving.model;
