/**
 * The taxi-tips model in plain Java (no Beam; XGBoost4J and Jackson only): {@link
 * dev.tidemark.transforms.taxi.model.TipModelTrainer} trains the "big tipper" classifier and the
 * tip-amount regression on {@link dev.tidemark.transforms.taxi.model.LabeledRow}s and evaluates
 * them ({@link dev.tidemark.transforms.taxi.model.ClassifierMetrics}, {@link
 * dev.tidemark.transforms.taxi.model.RegressionMetrics}). The Beam step that calls it lives in
 * {@code dev.tidemark.transforms.taxi.training}.
 */
package dev.tidemark.transforms.taxi.model;
