package dev.tidemark.core.training;

import dev.tidemark.core.features.FeatureReference;
import java.io.Serializable;
import java.util.Map;

/**
 * The outcome of one training run: the classifier in XGBoost's JSON model format (what {@code
 * model.json} holds; KServe's XGBoost runtime loads it) and everything the model card and {@code
 * metrics.json} report.
 *
 * @param modelJson the booster, XGBoost JSON format, UTF-8
 * @param parameters the XGBoost parameters and rounds used
 * @param trainRows rows in the training split
 * @param evalRows rows in the eval split
 * @param classifierEval classifier quality on the eval split
 * @param classifierTrain classifier quality on the training split (to see over-fitting)
 * @param regressionEval tip-amount regression quality on the eval split
 * @param trainingStarted ISO-8601 instant training started
 * @param trainingFinished ISO-8601 instant training finished
 * @param reference the distribution of every slot in the training split (for drift monitoring;
 *     {@link FeatureReference#numericOnly} narrows it to a spec's NUMERIC slots)
 */
public record TrainedModel(
    byte[] modelJson,
    Map<String, Object> parameters,
    long trainRows,
    long evalRows,
    ClassifierMetrics classifierEval,
    ClassifierMetrics classifierTrain,
    RegressionMetrics regressionEval,
    String trainingStarted,
    String trainingFinished,
    FeatureReference reference)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Equal when every component is, the model bytes compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TrainedModel m
        && java.util.Arrays.equals(modelJson, m.modelJson)
        && parameters.equals(m.parameters)
        && trainRows == m.trainRows
        && evalRows == m.evalRows
        && classifierEval.equals(m.classifierEval)
        && classifierTrain.equals(m.classifierTrain)
        && regressionEval.equals(m.regressionEval)
        && trainingStarted.equals(m.trainingStarted)
        && trainingFinished.equals(m.trainingFinished)
        && reference.equals(m.reference);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(java.util.Arrays.hashCode(modelJson), trainRows, evalRows);
  }
}
