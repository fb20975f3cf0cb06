package dev.tidemark.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Choosing the evaluator of a model version: the compiled one by default, XGBoost's on request, the
 * same probabilities from both; a model the compiler does not support is refused at load with the
 * way out in the message; the hot-swap rule loads with the evaluator it was given.
 */
public class ModelVersionEvaluatorTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String V1 = "20261127T090000Z";
  private static final String V2 = "20261128T090000Z";

  private static Map<String, byte[]> v1;
  private static List<TaxiTrip> trips;
  private static String store;

  @BeforeClass
  public static void trainAndPublish() throws IOException {
    trips = TipModels.trips(600);
    v1 = TipModels.train(trips, 20);
    store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, V1, v1);
  }

  /** {@code load} without an evaluator compiles the trees. */
  @Test
  public void defaultEvaluatorIsCompiled() throws Exception {
    try (ModelStore s = ModelStore.open(store);
        ModelVersion m = ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1)) {
      assertThat(m.evaluator(), equalTo(Evaluator.COMPILED));
      assertThat(Evaluator.DEFAULT, equalTo(Evaluator.COMPILED));
    }
  }

  /** 600 trips in one call: both evaluators within 1e-6 of each other, row by row. */
  @Test
  public void bothEvaluatorsGiveTheSameProbabilities() throws Exception {
    try (ModelStore s = ModelStore.open(store);
        ModelVersion compiled = ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1, Evaluator.COMPILED);
        ModelVersion xgboost =
            ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1, Evaluator.XGBOOST4J)) {
      assertThat(xgboost.evaluator(), equalTo(Evaluator.XGBOOST4J));
      float[] flat = vectors(compiled.features());
      float[] a = compiled.predict(flat, trips.size());
      float[] b = xgboost.predict(flat, trips.size());
      for (int i = 0; i < a.length; i++) {
        assertThat("trip " + i, (double) a[i], closeTo(b[i], 1e-6));
      }
    }
  }

  /** The compiled evaluator answers the same from four threads at once as from one. */
  @Test
  public void compiledPredictIsSafeFromSeveralThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ModelStore s = ModelStore.open(store);
        ModelVersion m = ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1)) {
      float[] flat = vectors(m.features());
      float[] alone = m.predict(flat, trips.size());
      List<Future<float[]>> answers =
          pool.invokeAll(java.util.Collections.nCopies(16, () -> m.predict(flat, trips.size())));
      for (Future<float[]> f : answers) {
        assertArrayEquals(alone, f.get(), 0f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A dart model (XGBoost weighs its trees at prediction): the compiled evaluator refuses the
   * version as broken, naming the booster and the way out; xgboost4j serves it.
   */
  @Test
  public void unsupportedModelIsRefusedByTheCompiledEvaluatorOnly() throws Exception {
    Map<String, byte[]> dart = new LinkedHashMap<>(v1);
    dart.put(ModelFiles.MODEL_JSON, dartModel());
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> ModelVersion.fromFiles("taxi-tips", "dart", "mem://dart", dart));
    assertThat(e.kind(), equalTo(ModelLoadException.Kind.BROKEN));
    assertThat(e.getMessage(), containsString("mem://dart model.json cannot be compiled"));
    assertThat(e.getMessage(), containsString("has booster 'dart'"));
    assertThat(e.getMessage(), containsString("--evaluator xgboost4j"));
    try (ModelVersion m =
        ModelVersion.fromFiles("taxi-tips", "dart", "mem://dart", dart, Evaluator.XGBOOST4J)) {
      assertThat(m.predict(vectors(m.features()), trips.size()).length, equalTo(trips.size()));
    }
  }

  /** The hot-swap rule loads newer versions with the evaluator it was given. */
  @Test
  public void newerVersionsLoadWithTheirEvaluator() throws Exception {
    String other = TMP.newFolder().getAbsolutePath();
    TipModels.publish(other, V2, v1);
    try (ModelStore s = ModelStore.open(other)) {
      NewerVersions newer = new NewerVersions(s, ModelFiles.TAXI_TIPS, Evaluator.XGBOOST4J);
      try (ModelVersion m = newer.loadNewer().orElseThrow()) {
        assertThat(m.version(), equalTo(V2));
        assertThat(m.evaluator(), equalTo(Evaluator.XGBOOST4J));
      }
    }
  }

  /**
   * Flags spell the evaluators {@code xgboost4j} and {@code compiled}; anything else is refused.
   */
  @Test
  public void evaluatorNamesParse() {
    assertThat(Evaluator.parse("xgboost4j"), equalTo(Evaluator.XGBOOST4J));
    assertThat(Evaluator.parse("Compiled"), equalTo(Evaluator.COMPILED));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Evaluator.parse("treelite"));
    assertThat(e.getMessage(), containsString("expected xgboost4j or compiled"));
  }

  private static float[] vectors(TaxiFeatures features) {
    int width = features.length();
    float[] flat = new float[trips.size() * width];
    for (int i = 0; i < trips.size(); i++) {
      features.writeVector(trips.get(i), flat, i * width);
    }
    return flat;
  }

  /** A small dart booster trained on the fixture trips with the fixture's spec. */
  private static byte[] dartModel() throws Exception {
    TaxiFeatures features =
        new TaxiFeatures(FeatureSpec.fromJson(new String(v1.get(ModelFiles.FEATURE_SPEC), UTF_8)));
    int width = features.length();
    float[] flat = vectors(features);
    float[] labels = new float[trips.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = LabeledRow.of(trips.get(i), features).bigTipper();
    }
    Map<String, Object> params =
        new LinkedHashMap<>(TipModelTrainer.Params.defaults(42).xgboost("binary:logistic"));
    params.put("booster", "dart");
    params.put("rate_drop", 0.1);
    DMatrix m = new DMatrix(flat, trips.size(), width, Float.NaN);
    try {
      m.setLabel(labels);
      Booster b = XGBoost.train(m, params, 5, Map.of(), null, null);
      try {
        return b.toByteArray("json");
      } finally {
        b.dispose();
      }
    } finally {
      m.dispose();
    }
  }
}
