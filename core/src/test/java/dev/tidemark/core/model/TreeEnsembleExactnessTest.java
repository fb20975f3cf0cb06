package dev.tidemark.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The compiled evaluator answers what XGBoost answers: for models trained by the real trainer on
 * the shipped sample (the default model, the deeper challenger, and other depths and rounds), on
 * every row of the sample and on randomized rows with missing values and values exactly at, just
 * below and just above the models' own split conditions, in both layouts, the probabilities of
 * {@link TreeEnsemble} are within {@value #TOLERANCE} of xgboost4j's ({@code inplace_predict}, the
 * call {@link ModelVersion} makes, and {@code predict} on a {@code DMatrix}). Each model prints the
 * worst difference seen.
 */
public class TreeEnsembleExactnessTest {

  /** The promise: probabilities within this of XGBoost's. */
  static final double TOLERANCE = 1e-6;

  /** Randomized rows per model. */
  private static final int RANDOM_ROWS = 20_000;

  private static List<TaxiTrip> trainingTrips;
  private static List<TaxiTrip> sampleTrips;

  @BeforeClass
  public static void readSample() throws IOException {
    trainingTrips = TipModels.trips(Integer.MAX_VALUE);
    sampleTrips = new ArrayList<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips(), UTF_8)) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        sampleTrips.add(TaxiTripCsv.parse(line));
      } catch (MalformedTripException e) {
        // Not a trip: nothing to score.
      }
    }
  }

  /** The model {@code bin/tidemark train} publishes: 100 trees of depth 4, learning rate 0.1. */
  @Test
  public void defaultModelMatchesXgboost() throws Exception {
    assertExact("default (depth 4, 100 rounds)", TipModelTrainer.Params.defaults(42));
  }

  /** The demo's challenger: {@code --max-depth 6}. */
  @Test
  public void deeperChallengerMatchesXgboost() throws Exception {
    assertExact("challenger (depth 6, 100 rounds)", new TipModelTrainer.Params(42, 100, 0.1, 6, 1));
  }

  /** Stumps-like trees, few rounds. */
  @Test
  public void shallowFewRoundsModelMatchesXgboost() throws Exception {
    assertExact("depth 2, 10 rounds", new TipModelTrainer.Params(42, 10, 0.1, 2, 1));
  }

  /** Mid depth, 50 rounds, larger learning rate. */
  @Test
  public void midDepthModelMatchesXgboost() throws Exception {
    assertExact("depth 6, 50 rounds", new TipModelTrainer.Params(7, 50, 0.3, 6, 1));
  }

  /** The deepest trees the perfect layout takes by default, many rounds. */
  @Test
  public void deepManyRoundsModelMatchesXgboost() throws Exception {
    assertExact("depth 8, 200 rounds", new TipModelTrainer.Params(42, 200, 0.1, 8, 1));
  }

  /** Deeper than the perfect layout's default: compiled into the node layout. */
  @Test
  public void deeperThanPerfectLayoutModelMatchesXgboost() throws Exception {
    TreeEnsemble e =
        assertExact("depth 10, 50 rounds", new TipModelTrainer.Params(42, 50, 0.3, 10, 1));
    assertThat(e.layout(), equalTo(TreeEnsemble.Layout.NODES));
  }

  /** A regression (identity objective, base score used as is): predictions are the margins. */
  @Test
  public void squaredErrorRegressionMatchesXgboost() throws Exception {
    assertExactObjective("reg:squarederror, depth 4, 50 rounds", "reg:squarederror", 50, 4);
  }

  /** The other sigmoid objective, with the base score converted to a margin. */
  @Test
  public void logisticRegressionMatchesXgboost() throws Exception {
    assertExactObjective("reg:logistic, depth 5, 30 rounds", "reg:logistic", 30, 5);
  }

  // ------------------------------------------------------------------ helpers

  private TreeEnsemble assertExact(String name, TipModelTrainer.Params params) throws Exception {
    Map<String, byte[]> files = TipModels.train(trainingTrips, params);
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ModelFiles.FEATURE_SPEC), UTF_8)));
    return assertExact(name, files.get(ModelFiles.MODEL_JSON), features);
  }

  private TreeEnsemble assertExactObjective(String name, String objective, int rounds, int depth)
      throws Exception {
    Map<String, byte[]> files = TipModels.train(trainingTrips, 1);
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ModelFiles.FEATURE_SPEC), UTF_8)));
    int width = features.length();
    List<LabeledRow> rows = trainingTrips.stream().map(t -> LabeledRow.of(t, features)).toList();
    float[] flat = new float[rows.size() * width];
    float[] labels = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).features(), 0, flat, i * width, width);
      labels[i] =
          objective.equals("reg:squarederror") ? rows.get(i).tips() : rows.get(i).bigTipper();
    }
    DMatrix m = new DMatrix(flat, rows.size(), width, Float.NaN);
    byte[] json;
    try {
      m.setLabel(labels);
      Booster b =
          XGBoost.train(
              m,
              new TipModelTrainer.Params(42, rounds, 0.1, depth, 1).xgboost(objective),
              rounds,
              Map.of(),
              null,
              null);
      json = b.toByteArray("json");
      b.dispose();
    } finally {
      m.dispose();
    }
    return assertExact(name, json, features);
  }

  /** Compares both layouts with XGBoost on the sample and on random rows; prints the worst. */
  private TreeEnsemble assertExact(String name, byte[] modelJson, TaxiFeatures features)
      throws XGBoostError, IOException {
    int width = features.length();
    float[] sample = new float[sampleTrips.size() * width];
    for (int i = 0; i < sampleTrips.size(); i++) {
      features.writeVector(sampleTrips.get(i), sample, i * width);
    }
    TreeEnsemble chosen = TreeEnsemble.compile(modelJson);
    float[] random = randomRows(chosen, sample, width, RANDOM_ROWS, new Random(name.hashCode()));

    Booster booster = XGBoost.loadModel(modelJson);
    try {
      booster.setParam("nthread", "1");
      float[] expectedSample =
          column(booster.inplace_predict(sample, sample.length / width, width, Float.NaN));
      float[] expectedRandom =
          column(booster.inplace_predict(random, RANDOM_ROWS, width, Float.NaN));
      float[] viaMatrix = predictMatrix(booster, sample, width, false);
      float[] marginsSample = predictMatrix(booster, sample, width, true);

      double worst = 0;
      long identical = 0;
      long compared = 0;
      for (TreeEnsemble.Layout layout : TreeEnsemble.Layout.values()) {
        TreeEnsemble e = TreeEnsemble.compile(modelJson, layout);
        assertThat(e.width(), equalTo(width));
        float[] onSample = e.predict(sample, sample.length / width);
        float[] onRandom = e.predict(random, RANDOM_ROWS);
        float[] margins = new float[sample.length / width];
        e.margins(sample, margins.length, margins);
        for (int i = 0; i < onSample.length; i++) {
          worst =
              Math.max(
                  worst, check(name, layout, "sample row " + i, onSample[i], expectedSample[i]));
          worst =
              Math.max(
                  worst,
                  check(name, layout, "sample row " + i + " (DMatrix)", onSample[i], viaMatrix[i]));
          assertThat(
              name + " margin of sample row " + i,
              (double) Math.abs(margins[i] - marginsSample[i]),
              lessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(marginsSample[i]))));
          identical +=
              Float.floatToIntBits(onSample[i]) == Float.floatToIntBits(expectedSample[i]) ? 1 : 0;
        }
        for (int i = 0; i < onRandom.length; i++) {
          worst =
              Math.max(
                  worst, check(name, layout, "random row " + i, onRandom[i], expectedRandom[i]));
          identical +=
              Float.floatToIntBits(onRandom[i]) == Float.floatToIntBits(expectedRandom[i]) ? 1 : 0;
        }
        compared += onSample.length + onRandom.length;
      }
      System.out.printf(
          "exactness %-38s %s: %,d sample + %,d random rows x 2 layouts, worst |diff| %.3g,"
              + " bit-identical %.4f%%%n",
          name, chosen, sampleTrips.size(), RANDOM_ROWS, worst, 100.0 * identical / compared);
      assertThat(compared, greaterThan(0L));
      return chosen;
    } finally {
      booster.dispose();
    }
  }

  private static double check(
      String name, TreeEnsemble.Layout layout, String row, float actual, float expected) {
    // Relative for regressions (dollars), absolute for probabilities.
    double diff = Math.abs((double) actual - expected) / Math.max(1.0, Math.abs(expected));
    assertThat(
        name + " " + layout + " " + row + ": " + actual + " vs " + expected,
        diff,
        lessThanOrEqualTo(TOLERANCE));
    return diff;
  }

  /**
   * Random rows: per feature, missing (15%), one of the model's split conditions on it exactly or
   * one float step below or above (35%), the value of a random sample row (35%), or an arbitrary
   * value: zero, minus zero, a large magnitude or a uniform draw around the sample's range (15%).
   */
  static float[] randomRows(TreeEnsemble e, float[] sample, int width, int rows, Random random) {
    List<List<Float>> conditions = new ArrayList<>();
    for (int f = 0; f < width; f++) {
      conditions.add(new ArrayList<>());
    }
    e.forEachSplit((f, c) -> conditions.get(f).add(c));
    int sampleRows = sample.length / width;
    float[] out = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < width; f++) {
        int pick = random.nextInt(100);
        List<Float> c = conditions.get(f);
        float v;
        if (pick < 15) {
          v = Float.NaN;
        } else if (pick < 50 && !c.isEmpty()) {
          float at = c.get(random.nextInt(c.size()));
          int step = random.nextInt(3);
          v = step == 0 ? Math.nextDown(at) : step == 1 ? Math.nextUp(at) : at;
        } else if (pick < 85) {
          v = sample[random.nextInt(sampleRows) * width + f];
        } else {
          v =
              switch (random.nextInt(4)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (random.nextBoolean() ? 1 : -1) * 1e6f * random.nextFloat();
                default -> (float) (random.nextGaussian() * 50);
              };
        }
        out[r * width + f] = v;
      }
    }
    return out;
  }

  private static float[] predictMatrix(Booster b, float[] flat, int width, boolean margin)
      throws XGBoostError {
    DMatrix m = new DMatrix(flat, flat.length / width, width, Float.NaN);
    try {
      return column(b.predict(m, margin));
    } finally {
      m.dispose();
    }
  }

  private static float[] column(float[][] predictions) {
    float[] p = new float[predictions.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = predictions[i][0];
    }
    return p;
  }
}
