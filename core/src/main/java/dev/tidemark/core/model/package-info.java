/**
 * A model version as it serves: the files a version is published with ({@link
 * dev.tidemark.core.model.ModelFiles}), one loaded version (predict, TreeSHAP explain), the
 * evaluator that computes its probabilities ({@link dev.tidemark.core.model.Evaluator}: the {@link
 * dev.tidemark.core.model.TreeEnsemble} compiled from the XGBoost JSON model by default, or
 * xgboost4j) and the newest-version tracking that hot-swaps a newer complete version in. The model
 * server and the in-pipeline scorer both use these classes.
 */
package dev.tidemark.core.model;
