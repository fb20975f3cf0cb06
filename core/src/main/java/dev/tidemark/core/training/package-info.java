/**
 * The taxi-tips model in plain Java (no Beam; XGBoost4J and Jackson only): {@link
 * dev.tidemark.core.training.TipModelTrainer} trains the "big tipper" classifier and the tip-amount
 * regression on {@link dev.tidemark.core.training.LabeledRow}s and evaluates them ({@link
 * dev.tidemark.core.training.ClassifierMetrics}, {@link
 * dev.tidemark.core.training.RegressionMetrics}). The Beam step that calls it lives in {@code
 * dev.tidemark.transforms.taxi.training}.
 */
package dev.tidemark.core.training;
