package dev.tidemark.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * KServe V1 (the "TensorFlow Serving style" REST protocol) response types:
 *
 * <pre>
 * GET  /v1/models                  {"models": ["taxi-tips"]}
 * GET  /v1/models/{name}           {"name": "taxi-tips", "ready": true}
 * POST /v1/models/{name}:predict   {"instances": [...]}  -&gt; {"predictions": [0.91, ...]}
 * POST /v1/models/{name}:explain   {"instances": [...]}  -&gt; {"explanations": [...], ...}
 * </pre>
 */
public final class V1 {

  private V1() {}

  /**
   * {@code GET /v1/models}.
   *
   * @param models the names of the models being served
   */
  public record ModelList(List<String> models) {}

  /**
   * {@code GET /v1/models/{name}}.
   *
   * @param name the model
   * @param ready whether it answers predictions now
   */
  public record ModelStatus(String name, boolean ready) {}

  /**
   * {@code :predict} response.
   *
   * @param predictions one probability per instance, in request order
   */
  public record PredictResponse(float[] predictions) {}

  /**
   * {@code :explain} response: XGBoost TreeSHAP contributions per instance.
   *
   * @param modelName the model
   * @param modelVersion the version that explained
   * @param featureNames the feature names, in vector order (the keys of each contribution map)
   * @param explanations one per instance, in request order
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExplainResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      @JsonProperty("feature_names") List<String> featureNames,
      List<Explanation> explanations) {}

  /**
   * One instance explained: {@code sum(contributions) + bias = margin} and {@code probability =
   * sigmoid(margin)}.
   *
   * @param probability the predicted probability of a big tip
   * @param margin the raw score (log-odds)
   * @param bias the expected margin over the training data (SHAP base value)
   * @param contributions the contribution of each feature to the margin, in vector order
   */
  public record Explanation(
      float probability, float margin, float bias, Map<String, Float> contributions) {}
}
