/**
 * Tests of the model server, in-process over real HTTP with real XGBoost models trained on the
 * shipped sample ({@link dev.tidemark.serving.TaxiTipsModels}) as fixtures; no mocks.
 */
package dev.tidemark.serving;
