/**
 * The Beam steps of the taxi-tips training pipeline, each a composite usable alone: {@link
 * dev.tidemark.transforms.taxi.training.PreprocessTrips} (validate and clean raw lines, rejects
 * with their rule), {@link dev.tidemark.transforms.taxi.training.AnalyzeFeatures} (vocabularies and
 * training ranges into a {@code FeatureSpec}), {@link
 * dev.tidemark.transforms.taxi.training.ExtractFeatures} (trips to labelled vectors with {@code
 * TaxiFeatures}), {@link dev.tidemark.transforms.taxi.training.TrainTipsModel} (XGBoost, in one
 * place) and {@link dev.tidemark.transforms.taxi.training.ExportModel} (versioned artifacts with a
 * completion marker). They wrap the Beam-free code of {@code taxi.features}, {@code taxi.model} and
 * {@code modelstore}.
 */
package dev.tidemark.transforms.taxi.training;
