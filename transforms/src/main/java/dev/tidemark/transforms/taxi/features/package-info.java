/**
 * The single place where a raw taxi trip becomes a model input, in plain Java (no Beam, Jackson
 * only): {@link dev.tidemark.transforms.taxi.features.TaxiFeatures} (trip to FP32 vector), its
 * {@link dev.tidemark.transforms.taxi.features.FeatureSpec} (saved with the model as JSON), the
 * {@link dev.tidemark.transforms.taxi.features.FeatureAnalyzer} that learns vocabularies and
 * training ranges, the preprocessing rules ({@link dev.tidemark.transforms.taxi.features.TripRule})
 * and the deterministic train/eval split ({@link dev.tidemark.transforms.taxi.features.TripSplit}).
 * The training pipeline, the streaming pipeline and the model server all use these classes; a test
 * checks that nothing here imports Beam.
 */
package dev.tidemark.transforms.taxi.features;
