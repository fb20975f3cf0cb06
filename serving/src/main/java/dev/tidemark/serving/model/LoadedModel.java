package dev.tidemark.serving.model;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.model.ModelFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One loaded model version: the XGBoost booster ({@code model.json} or {@code model.ubj}), the
 * feature spec saved with it ({@code feature_spec.json}, so serving computes exactly the training
 * features) and its {@link Batcher}, which owns every call into the booster.
 *
 * <p>Loading checks the artifacts before the version may serve: the spec parses, the booster loads,
 * its feature count equals the spec's length, and a probe row scores to a probability.
 */
public final class LoadedModel {

  private final String name;
  private final String version;
  private final String uri;
  private final String platform;
  private final TaxiFeatures features;
  private final List<String> featureNames;
  private final Booster booster;
  private final Duration loadTime;
  private final Batcher batcher;

  private LoadedModel(
      String name,
      String version,
      String uri,
      String platform,
      TaxiFeatures features,
      Booster booster,
      Duration loadTime,
      BatchPolicy policy,
      IntConsumer batchSizes) {
    this.name = name;
    this.version = version;
    this.uri = uri;
    this.platform = platform;
    this.features = features;
    this.featureNames = features.spec().names();
    this.booster = booster;
    this.loadTime = loadTime;
    this.batcher = new Batcher(this, policy, batchSizes);
  }

  /**
   * Builds a model from the files of one complete version.
   *
   * @throws ModelLoadException when an artifact is missing or broken
   */
  public static LoadedModel load(
      String name,
      String version,
      String uri,
      Map<String, byte[]> files,
      BatchPolicy policy,
      IntConsumer batchSizes)
      throws ModelLoadException {
    long start = System.nanoTime();
    byte[] specBytes = files.get(ModelFiles.FEATURE_SPEC);
    if (specBytes == null) {
      throw broken(uri, "has no " + ModelFiles.FEATURE_SPEC, null);
    }
    FeatureSpec spec;
    TaxiFeatures features;
    try {
      spec = FeatureSpec.fromJson(new String(specBytes, StandardCharsets.UTF_8));
      features = new TaxiFeatures(spec);
    } catch (RuntimeException e) {
      throw broken(
          uri, ModelFiles.FEATURE_SPEC + " is not a valid feature spec: " + e.getMessage(), e);
    }
    String file =
        files.containsKey(ModelFiles.MODEL_JSON) ? ModelFiles.MODEL_JSON : ModelFiles.MODEL_UBJ;
    byte[] modelBytes = files.get(file);
    if (modelBytes == null) {
      throw broken(
          uri, "has neither " + ModelFiles.MODEL_JSON + " nor " + ModelFiles.MODEL_UBJ, null);
    }
    Booster booster;
    try {
      booster = XGBoost.loadModel(modelBytes);
    } catch (XGBoostError | IOException | RuntimeException e) {
      throw broken(uri, file + " is not an XGBoost model: " + firstLine(e.getMessage()), e);
    }
    try {
      // One thread per call: the fixed per-call cost dominates small batches, and the server
      // gets its parallelism from batching and from the HTTP event loops.
      booster.setParam("nthread", "1");
      long width = booster.getNumFeature();
      if (width != spec.length()) {
        throw broken(
            uri,
            file
                + " expects "
                + width
                + " features but "
                + ModelFiles.FEATURE_SPEC
                + " defines "
                + spec.length(),
            null);
      }
      float[] probe = new float[spec.length()];
      java.util.Arrays.fill(probe, Float.NaN);
      float p = booster.inplace_predict(probe, 1, spec.length(), Float.NaN)[0][0];
      if (!(p >= 0f && p <= 1f)) {
        throw broken(uri, file + " does not output probabilities (probe gave " + p + ")", null);
      }
    } catch (XGBoostError e) {
      booster.dispose();
      throw broken(uri, file + " cannot score: " + firstLine(e.getMessage()), e);
    } catch (ModelLoadException e) {
      booster.dispose();
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    String platform = file.equals(ModelFiles.MODEL_JSON) ? "xgboost_json" : "xgboost_ubj";
    return new LoadedModel(
        name, version, uri, platform, features, booster, took, policy, batchSizes);
  }

  private static ModelLoadException broken(String uri, String why, Throwable cause) {
    return new ModelLoadException(uri + " " + why, false, cause);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  /** Where the version was read from. */
  public String uri() {
    return uri;
  }

  /** {@code xgboost_json} or {@code xgboost_ubj}. */
  public String platform() {
    return platform;
  }

  /** The taxi transformer built from the model's own feature spec. */
  public TaxiFeatures features() {
    return features;
  }

  /** Feature names in vector order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The vector width. */
  public int width() {
    return featureNames.size();
  }

  /** How long loading and checking took. */
  public Duration loadTime() {
    return loadTime;
  }

  /** The batcher that owns calls into this model. */
  public Batcher batcher() {
    return batcher;
  }

  /** Probabilities of {@code rows} rows; called on the batcher's thread only. */
  float[] predictNow(float[] flat, int rows) throws XGBoostError {
    float[][] out = booster.inplace_predict(flat, rows, width(), Float.NaN);
    float[] p = new float[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = out[i][0];
    }
    return p;
  }

  /**
   * TreeSHAP contributions ({@code [rows][width + 1]}, last column the bias) and margins; called on
   * the batcher's thread only.
   */
  Explained explainNow(float[] flat, int rows) throws XGBoostError {
    DMatrix m = new DMatrix(flat, rows, width(), Float.NaN);
    try {
      float[][] contributions = booster.predictContrib(m, 0);
      float[][] margins = booster.predict(m, true);
      float[][] probabilities = booster.predict(m);
      float[] margin = new float[rows];
      float[] probability = new float[rows];
      for (int i = 0; i < rows; i++) {
        margin[i] = margins[i][0];
        probability[i] = probabilities[i][0];
      }
      return new Explained(contributions, margin, probability);
    } finally {
      m.dispose();
    }
  }

  /** Frees the native booster; called by the batcher once its queue is drained. */
  void dispose() {
    booster.dispose();
  }

  /**
   * Contributions per row ({@code [rows][width + 1]}, last column the bias), margins and
   * probabilities.
   */
  public record Explained(float[][] contributions, float[] margin, float[] probability) {}

  @Override
  public String toString() {
    return name + "@" + version + " (" + uri + ")";
  }
}
