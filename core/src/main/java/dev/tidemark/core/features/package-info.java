/**
 * The single place where a raw taxi trip becomes a model input, in plain Java (no Beam, Jackson
 * only): {@link dev.tidemark.core.features.TaxiFeatures} (trip to FP32 vector), its {@link
 * dev.tidemark.core.features.FeatureSpec} (saved with the model as JSON), the {@link
 * dev.tidemark.core.features.FeatureAnalyzer} that learns vocabularies and training ranges, the
 * preprocessing rules ({@link dev.tidemark.core.features.TripRule}) and the deterministic
 * train/eval split ({@link dev.tidemark.core.features.TripSplit}). The training pipeline, the
 * streaming pipeline and the model server all use these classes; a test checks that nothing here
 * imports Beam.
 */
package dev.tidemark.core.features;
