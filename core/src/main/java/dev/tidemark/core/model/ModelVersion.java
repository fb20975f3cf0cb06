package dev.tidemark.core.model;

import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.store.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One loaded, checked version of an exported model: the XGBoost booster ({@value
 * ModelFiles#MODEL_JSON} or {@value ModelFiles#MODEL_UBJ}), the {@link TaxiFeatures} built from the
 * version's own {@value ModelFiles#FEATURE_SPEC} (so that scoring computes exactly the training
 * features) and its drift {@link FeatureReference} when it has one. The model server and the
 * in-pipeline scorer both serve through this type: {@link #predict} and {@link #explain} are
 * written once.
 *
 * <p>Loading checks the artifacts before the version may serve: the spec parses, the booster loads,
 * its feature count equals the spec's length, and a probe row scores to a probability. The booster
 * is single-threaded ({@code nthread=1}): the fixed cost of a call dominates small batches, and
 * callers get their parallelism from batching and from running one version per worker.
 *
 * <p>Not thread-safe: callers serialize their calls (the server's batcher thread; one instance per
 * scoring DoFn). {@link #close()} frees the native booster.
 */
public final class ModelVersion implements AutoCloseable {

  private final String name;
  private final String version;
  private final String uri;
  private final String platform;
  private final TaxiFeatures features;
  private final List<String> featureNames;
  private final FeatureReference reference;
  private final Booster booster;
  private final Duration loadTime;

  private ModelVersion(
      String name,
      String version,
      String uri,
      String platform,
      TaxiFeatures features,
      FeatureReference reference,
      Booster booster,
      Duration loadTime) {
    this.name = name;
    this.version = version;
    this.uri = uri;
    this.platform = platform;
    this.features = features;
    this.featureNames = features.spec().names();
    this.reference = reference;
    this.booster = booster;
    this.loadTime = loadTime;
  }

  /**
   * Loads {@code version} of {@code model} from {@code store}; {@code version} null loads the
   * newest complete version.
   *
   * @throws ModelLoadException when the version is absent ({@link ModelLoadException#notFound()}),
   *     the store cannot be read, or an artifact is broken
   */
  public static ModelVersion load(ModelStore store, String model, String version)
      throws ModelLoadException {
    String v = version;
    try {
      if (v == null) {
        Optional<String> latest = store.latestVersion(model);
        if (latest.isEmpty()) {
          throw new ModelLoadException(
              "no complete version of "
                  + model
                  + " in "
                  + store.location()
                  + " (expected "
                  + store.location()
                  + "/"
                  + model
                  + "/<version>/"
                  + ModelStore.MARKER
                  + "; train one: bin/tidemark train --output "
                  + store.location()
                  + ")",
              ModelLoadException.Kind.NOT_FOUND,
              null);
        }
        v = latest.get();
      } else if (!store.completeVersions(model).contains(v)) {
        throw new ModelLoadException(
            "version '"
                + v
                + "' of model '"
                + model
                + "' is not a complete version in "
                + store.location(),
            ModelLoadException.Kind.NOT_FOUND,
            null);
      }
      return fromFiles(model, v, store.uri(model, v), store.read(model, v));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read model '" + model + "' from " + store.location() + ": " + e.getMessage(),
          ModelLoadException.Kind.UNREADABLE,
          e);
    }
  }

  /**
   * Builds a version from the files of one complete version (as {@link ModelStore#read} returns
   * them), checking every artifact.
   *
   * @param uri where the files were read from, for messages
   * @throws ModelLoadException when an artifact is missing or broken
   */
  public static ModelVersion fromFiles(
      String name, String version, String uri, Map<String, byte[]> files)
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
    FeatureReference reference = null;
    byte[] referenceBytes = files.get(ModelFiles.REFERENCE);
    if (referenceBytes != null) {
      try {
        reference = FeatureReference.fromJson(new String(referenceBytes, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw broken(
            uri, ModelFiles.REFERENCE + " is not a valid feature reference: " + e.getMessage(), e);
      }
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
      Arrays.fill(probe, Float.NaN);
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
    String platform = file.equals(ModelFiles.MODEL_JSON) ? "xgboost_json" : "xgboost_ubj";
    return new ModelVersion(
        name,
        version,
        uri,
        platform,
        features,
        reference,
        booster,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static ModelLoadException broken(String uri, String why, Throwable cause) {
    return new ModelLoadException(uri + " " + why, ModelLoadException.Kind.BROKEN, cause);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The model name, e.g. {@code taxi-tips}. */
  public String name() {
    return name;
  }

  /** The version, e.g. {@code 20261127T094058Z}. */
  public String version() {
    return version;
  }

  /** Where the version was read from. */
  public String uri() {
    return uri;
  }

  /** The model format: {@code xgboost_json} or {@code xgboost_ubj}. */
  public String platform() {
    return platform;
  }

  /** The feature computation of this version. */
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

  /** The training distribution of the NUMERIC features, or null for versions without one. */
  public FeatureReference reference() {
    return reference;
  }

  /** How long loading and checking took. */
  public Duration loadTime() {
    return loadTime;
  }

  /**
   * Probabilities of {@code rows} rows of width {@link #width()} concatenated in {@code flat}: one
   * native predict call, NaN = missing. In place ({@code inplace_predict}): no {@code DMatrix} is
   * built, which saves ~0.15 µs of ~0.65 µs per row in batches of 1000 (docs/inference.md) and
   * gives the same probabilities.
   *
   * @throws ModelCallException when the native call fails
   */
  public float[] predict(float[] flat, int rows) throws ModelCallException {
    float[][] out;
    try {
      out = booster.inplace_predict(flat, rows, width(), Float.NaN);
    } catch (XGBoostError e) {
      throw new ModelCallException(this + " could not predict: " + firstLine(e.getMessage()), e);
    }
    float[] p = new float[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = out[i][0];
    }
    return p;
  }

  /**
   * TreeSHAP explanations of {@code rows} rows of width {@link #width()} concatenated in {@code
   * flat}: one native call ({@code predictContrib}, exact TreeSHAP). Per row the contributions of
   * every feature and the bias add up to the margin (summed in double), and the probability is the
   * sigmoid of the margin: the same value {@link #predict} answers, within float rounding.
   *
   * @throws ModelCallException when the native call fails
   */
  public List<Explanation> explain(float[] flat, int rows) throws ModelCallException {
    int width = width();
    float[][] contributions;
    try {
      DMatrix m = new DMatrix(flat, rows, width, Float.NaN);
      try {
        contributions = booster.predictContrib(m, 0);
      } finally {
        m.dispose();
      }
    } catch (XGBoostError e) {
      throw new ModelCallException(this + " could not explain: " + firstLine(e.getMessage()), e);
    }
    List<Explanation> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      float[] row = contributions[r];
      double bias = row[width];
      double margin = bias;
      List<Explanation.Contribution> each = new ArrayList<>(width);
      for (int f = 0; f < width; f++) {
        margin += row[f];
        each.add(new Explanation.Contribution(featureNames.get(f), flat[r * width + f], row[f]));
      }
      out.add(new Explanation(bias, margin, 1.0 / (1.0 + Math.exp(-margin)), each));
    }
    return out;
  }

  /** Frees the native booster; the version must not be used afterwards. */
  @Override
  public void close() {
    booster.dispose();
  }

  @Override
  public String toString() {
    return name + "@" + version + " (" + uri + ")";
  }
}
