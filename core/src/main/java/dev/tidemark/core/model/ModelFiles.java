package dev.tidemark.core.model;

import dev.tidemark.core.features.FeatureReference;

/**
 * The files of one published model version, {@code <store>/<model>/<version>/<file>}: what {@code
 * bin/tidemark train} writes and what the model server and the in-pipeline scorer read. The one
 * place where these names are spelled.
 */
public final class ModelFiles {

  /** The name training publishes the taxi-tips model under. */
  public static final String TAXI_TIPS = "taxi-tips";

  /** The XGBoost booster in JSON (KServe's XGBoost runtime reads it too). */
  public static final String MODEL_JSON = "model.json";

  /** The XGBoost booster in UBJSON, the alternative format. */
  public static final String MODEL_UBJ = "model.ubj";

  /** The feature spec the booster was trained with: serving computes exactly these features. */
  public static final String FEATURE_SPEC = "feature_spec.json";

  /** Evaluation metrics of the version. */
  public static final String METRICS = "metrics.json";

  /** The model card: what the model is for, its data and its limits. */
  public static final String MODEL_CARD = "model_card.json";

  /** The training distribution of the numeric features, for drift monitoring. */
  public static final String REFERENCE = FeatureReference.FILE;

  private ModelFiles() {}
}
