package dev.tidemark.core.model;

import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.store.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One loaded version of an exported model: the XGBoost booster (single-threaded, {@code nthread=1}:
 * the fixed cost of a call dominates small batches, and the runner already runs one scorer per
 * core), the {@link TaxiFeatures} built from the version's own {@code feature_spec.json}, and its
 * {@link FeatureReference} when the version has one. Not thread-safe: one instance per scoring DoFn
 * instance. {@link #close()} frees the native booster.
 */
public final class TipModel implements AutoCloseable {

  private final String name;
  private final String version;
  private final Booster booster;
  private final TaxiFeatures features;
  private final FeatureReference reference;

  private TipModel(
      String name,
      String version,
      Booster booster,
      TaxiFeatures features,
      FeatureReference reference) {
    this.name = name;
    this.version = version;
    this.booster = booster;
    this.features = features;
    this.reference = reference;
  }

  /** Loads {@code version} of {@code model} (a complete version; files checked by the store). */
  public static TipModel load(ModelStore store, String model, String version) throws IOException {
    Map<String, byte[]> files = store.read(model, version);
    byte[] modelJson = required(files, ModelFiles.MODEL_JSON, store.uri(model, version));
    byte[] specJson = required(files, ModelFiles.FEATURE_SPEC, store.uri(model, version));
    byte[] referenceJson = files.get(FeatureReference.FILE);
    FeatureSpec spec = FeatureSpec.fromJson(new String(specJson, StandardCharsets.UTF_8));
    FeatureReference reference =
        referenceJson == null
            ? null
            : FeatureReference.fromJson(new String(referenceJson, StandardCharsets.UTF_8));
    try {
      Booster booster = XGBoost.loadModel(modelJson);
      booster.setParam("nthread", 1);
      return new TipModel(model, version, booster, new TaxiFeatures(spec), reference);
    } catch (XGBoostError e) {
      throw new IOException(
          "cannot load " + store.uri(model, version) + " as XGBoost: " + e.getMessage(), e);
    }
  }

  private static byte[] required(Map<String, byte[]> files, String file, String uri)
      throws IOException {
    byte[] b = files.get(file);
    if (b == null) {
      throw new IOException(uri + " has no " + file);
    }
    return b;
  }

  /** The model name, e.g. {@code taxi-tips}. */
  public String name() {
    return name;
  }

  /** The version, e.g. {@code 20261127T094058Z}. */
  public String version() {
    return version;
  }

  /** The feature computation of this version. */
  public TaxiFeatures features() {
    return features;
  }

  /** The training distribution of the NUMERIC features, or null for versions without one. */
  public FeatureReference reference() {
    return reference;
  }

  /**
   * Probabilities of {@code rows} rows of width {@link TaxiFeatures#length()} concatenated in
   * {@code flat}: one native predict call, NaN = missing. In place ({@code inplace_predict}): no
   * {@code DMatrix} is built, which saves ~0.15 µs of ~0.65 µs per row in batches of 1000
   * (InferenceBenchmark, docs/inference.md) and gives the same probabilities.
   */
  public float[] predict(float[] flat, int rows) throws XGBoostError {
    float[][] out = booster.inplace_predict(flat, rows, features.length(), Float.NaN);
    float[] p = new float[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = out[i][0];
    }
    return p;
  }

  /**
   * TreeSHAP explanations of {@code rows} rows of width {@link TaxiFeatures#length()} concatenated
   * in {@code flat}: one native call ({@code predictContrib}, exact TreeSHAP). Per row the
   * contributions of every feature and the bias add up to the margin (summed in double), and the
   * probability is the sigmoid of the margin: the same value {@link #predict} answers, within float
   * rounding.
   */
  public List<Explanation> explain(float[] flat, int rows) throws XGBoostError {
    int width = features.length();
    List<String> names = features.spec().names();
    DMatrix m = new DMatrix(flat, rows, width, Float.NaN);
    try {
      float[][] contributions = booster.predictContrib(m, 0);
      List<Explanation> out = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        float[] row = contributions[r];
        double bias = row[width];
        double margin = bias;
        List<Explanation.Contribution> each = new ArrayList<>(width);
        for (int f = 0; f < width; f++) {
          margin += row[f];
          each.add(new Explanation.Contribution(names.get(f), flat[r * width + f], row[f]));
        }
        out.add(new Explanation(bias, margin, 1.0 / (1.0 + Math.exp(-margin)), each));
      }
      return out;
    } finally {
      m.dispose();
    }
  }

  @Override
  public void close() {
    booster.dispose();
  }

  @Override
  public String toString() {
    return name + "/" + version;
  }
}
