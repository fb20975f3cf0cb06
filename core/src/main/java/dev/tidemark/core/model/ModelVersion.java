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
 * <p>Probabilities come from the version's {@link Evaluator}, chosen at load ({@link
 * Evaluator#DEFAULT}: {@link Evaluator#COMPILED}): the {@link TreeEnsemble} compiled from the same
 * {@value ModelFiles#MODEL_JSON}, or XGBoost's own predictor through JNI. Explanations always come
 * from XGBoost ({@code predictContrib}), so TreeSHAP and its margins have one source.
 *
 * <p>Loading checks the artifacts before the version may serve: the spec parses, the booster loads,
 * its feature count equals the spec's length, and a probe row scores to a probability. With the
 * compiled evaluator the trees are compiled at load too (so a hot reload compiles before it swaps
 * in), anything the compiler does not support (categorical splits, other objectives or boosters)
 * refuses the version, and probe rows built from the model's own split conditions (values at, below
 * and above them, and missing) must score within {@value #PROBE_TOLERANCE} of XGBoost. The booster
 * is single-threaded ({@code nthread=1}): the fixed cost of a call dominates small batches, and
 * callers get their parallelism from batching and from running one version per worker.
 *
 * <p>Not thread-safe, except {@link #predict} with an evaluator that says it is ({@link
 * Evaluator#threadSafe()}, the compiled one): callers serialize their other calls (the server's
 * batcher thread; one instance per scoring DoFn). {@link #close()} frees the native booster.
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
  private final Evaluator evaluator;
  private final TreeEnsemble compiled;
  private final Duration loadTime;

  /** The largest difference from XGBoost's probabilities a compiled version may show at load. */
  public static final double PROBE_TOLERANCE = 1e-6;

  /** Probe rows checked at load against XGBoost, with the compiled evaluator. */
  private static final int PROBE_ROWS = 64;

  private ModelVersion(
      String name,
      String version,
      String uri,
      String platform,
      TaxiFeatures features,
      FeatureReference reference,
      Booster booster,
      Evaluator evaluator,
      TreeEnsemble compiled,
      Duration loadTime) {
    this.name = name;
    this.version = version;
    this.uri = uri;
    this.platform = platform;
    this.features = features;
    this.featureNames = features.spec().names();
    this.reference = reference;
    this.booster = booster;
    this.evaluator = evaluator;
    this.compiled = compiled;
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
    return load(store, model, version, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #load(ModelStore, String, String)}, predicting with {@code evaluator}.
   *
   * @throws ModelLoadException also when {@code evaluator} is {@link Evaluator#COMPILED} and the
   *     model uses what the compiler does not support (the message says what)
   */
  public static ModelVersion load(
      ModelStore store, String model, String version, Evaluator evaluator)
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
      return fromFiles(model, v, store.uri(model, v), store.read(model, v), evaluator);
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
    return fromFiles(name, version, uri, files, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #fromFiles(String, String, String, Map)}, predicting with {@code evaluator}.
   *
   * @throws ModelLoadException also when {@code evaluator} is {@link Evaluator#COMPILED} and the
   *     model uses what the compiler does not support, or the compiled trees disagree with XGBoost
   *     on a probe row
   */
  public static ModelVersion fromFiles(
      String name, String version, String uri, Map<String, byte[]> files, Evaluator evaluator)
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
    TreeEnsemble compiled = null;
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
      if (evaluator == Evaluator.COMPILED) {
        compiled = compile(uri, file, modelBytes, booster, spec.length());
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
        evaluator,
        compiled,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Compiles the trees of {@code file} and checks them against the booster on probe rows. UBJSON
   * models are compiled from the JSON the booster writes of itself.
   */
  private static TreeEnsemble compile(
      String uri, String file, byte[] modelBytes, Booster booster, int width)
      throws ModelLoadException, XGBoostError {
    TreeEnsemble trees;
    try {
      byte[] json = file.equals(ModelFiles.MODEL_JSON) ? modelBytes : booster.toByteArray("json");
      trees = TreeEnsemble.compile(json);
    } catch (IllegalArgumentException e) {
      throw broken(uri, file + " cannot be compiled: it " + e.getMessage(), e);
    }
    if (trees.width() != width) {
      throw broken(
          uri, file + " declares " + trees.width() + " features, the booster " + width, null);
    }
    float[] probes = probeRows(trees, width);
    int rows = probes.length / width;
    float[][] expected = booster.inplace_predict(probes, rows, width, Float.NaN);
    float[] actual = trees.predict(probes, rows);
    for (int r = 0; r < rows; r++) {
      double diff = Math.abs(actual[r] - expected[r][0]);
      if (!(diff <= PROBE_TOLERANCE)) {
        throw broken(
            uri,
            file
                + " compiles to trees that disagree with XGBoost on probe row "
                + r
                + " ("
                + actual[r]
                + " against "
                + expected[r][0]
                + "); serve it with the xgboost4j evaluator",
            null);
      }
    }
    return trees;
  }

  /**
   * {@value #PROBE_ROWS} rows that walk many paths: all missing, all zero, then rows whose every
   * feature is, at random (fixed seed), missing or one of the split conditions the model uses on
   * it, exactly or one float step below or above.
   */
  private static float[] probeRows(TreeEnsemble trees, int width) {
    List<List<Float>> conditions = new ArrayList<>();
    for (int f = 0; f < width; f++) {
      conditions.add(new ArrayList<>());
    }
    trees.forEachSplit((f, c) -> conditions.get(f).add(c));
    java.util.Random random = new java.util.Random(20260101L);
    float[] rows = new float[PROBE_ROWS * width];
    Arrays.fill(rows, 0, width, Float.NaN);
    for (int r = 2; r < PROBE_ROWS; r++) {
      for (int f = 0; f < width; f++) {
        List<Float> c = conditions.get(f);
        float v;
        if (c.isEmpty() || random.nextInt(8) == 0) {
          v = Float.NaN;
        } else {
          float at = c.get(random.nextInt(c.size()));
          v =
              switch (random.nextInt(3)) {
                case 0 -> Math.nextDown(at);
                case 1 -> Math.nextUp(at);
                default -> at;
              };
        }
        rows[r * width + f] = v;
      }
    }
    return rows;
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

  /** What computes {@link #predict}'s probabilities. */
  public Evaluator evaluator() {
    return evaluator;
  }

  /**
   * Probabilities of {@code rows} rows of width {@link #width()} concatenated in {@code flat}, NaN
   * = missing. With {@link Evaluator#COMPILED}: the compiled trees, in the calling thread, safe
   * from any number of threads. With {@link Evaluator#XGBOOST4J}: one native predict call, in place
   * ({@code inplace_predict}): no {@code DMatrix} is built, which saves ~0.15 µs of ~0.65 µs per
   * row in batches of 1000 (docs/inference.md) and gives the same probabilities.
   *
   * @throws ModelCallException when the native call fails
   */
  public float[] predict(float[] flat, int rows) throws ModelCallException {
    if (compiled != null) {
      try {
        return compiled.predict(flat, rows);
      } catch (RuntimeException e) {
        throw new ModelCallException(this + " could not predict: " + e.getMessage(), e);
      }
    }
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
