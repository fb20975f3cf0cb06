package dev.tidemark.core.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.model.TreeEnsemble;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.TaxiTrip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Per-row cost of the compiled evaluator ({@link TreeEnsemble}, both layouts) against xgboost4j's
 * {@code inplace_predict} (the call {@code ModelVersion} makes, one thread) at batch sizes 1, 8, 64
 * and 1,000, for the default model (100 trees of depth 4), the challenger (depth 6) and a large one
 * (200 trees of depth 8), trained on the shipped sample. Prints µs per row and per call, and the
 * ratio xgboost4j / compiled.
 *
 * <p>Concepts: every call scores different rows (batches cut from the sample's 12,002 vectors in
 * turn), so branch predictors cannot learn one row; each figure is the median of {@code --rounds}
 * timed rounds of {@code --millis} after a warm-up; results are summed into a sink the JIT cannot
 * drop. Not JMH (the repository has none and this build adds no dependency for it), but the same
 * precautions by hand.
 *
 * <pre>
 * serving/bench/evaluators.sh --evaluators-only      # builds, then runs this
 * java -cp ... dev.tidemark.core.bench.TreeEvaluatorBenchmark [--rounds=5] [--millis=400]
 * </pre>
 */
public final class TreeEvaluatorBenchmark {

  private static final int[] BATCHES = {1, 8, 64, 1000};

  private static volatile float sink;

  private TreeEvaluatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    long millis = 400;
    for (String a : args) {
      if (a.startsWith("--rounds=")) {
        rounds = Integer.parseInt(a.substring("--rounds=".length()));
      } else if (a.startsWith("--millis=")) {
        millis = Long.parseLong(a.substring("--millis=".length()));
      } else {
        throw new IllegalArgumentException("usage: [--rounds=5] [--millis=400]");
      }
    }
    List<TaxiTrip> trips = TipModels.trips(Integer.MAX_VALUE);
    System.out.printf(
        "per-row cost, µs (median of %d rounds of %d ms; %d cores, java %s)%n",
        rounds,
        millis,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.printf(
        "%-30s %6s %11s %11s %11s %9s %9s%n",
        "model", "batch", "xgboost4j", "perfect", "nodes", "x/perfect", "x/nodes");
    run("default: 100 trees, depth 4", trips, TipModelTrainer.Params.defaults(42), rounds, millis);
    run(
        "challenger: 100 trees, depth 6",
        trips,
        new TipModelTrainer.Params(42, 100, 0.1, 6, 1),
        rounds,
        millis);
    run(
        "large: 200 trees, depth 8",
        trips,
        new TipModelTrainer.Params(42, 200, 0.1, 8, 1),
        rounds,
        millis);
  }

  private static void run(
      String name, List<TaxiTrip> trips, TipModelTrainer.Params params, int rounds, long millis)
      throws Exception {
    Map<String, byte[]> files = TipModels.train(trips, params);
    byte[] json = files.get(ModelFiles.MODEL_JSON);
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ModelFiles.FEATURE_SPEC), UTF_8)));
    int width = features.length();
    float[] all = new float[trips.size() * width];
    for (int i = 0; i < trips.size(); i++) {
      features.writeVector(trips.get(i), all, i * width);
    }
    TreeEnsemble perfect = TreeEnsemble.compile(json, TreeEnsemble.Layout.PERFECT);
    TreeEnsemble nodes = TreeEnsemble.compile(json, TreeEnsemble.Layout.NODES);
    Booster booster = XGBoost.loadModel(json);
    booster.setParam("nthread", "1");
    try {
      for (int batch : BATCHES) {
        List<float[]> batches = new ArrayList<>();
        for (int start = 0;
            start + batch <= trips.size() && batches.size() < 4096;
            start += batch) {
          batches.add(Arrays.copyOfRange(all, start * width, (start + batch) * width));
        }
        float[] out = new float[batch];
        Call[] calls = {
          b -> sink += booster.inplace_predict(b, batch, width, Float.NaN)[0][0],
          b -> {
            perfect.predict(b, batch, out);
            sink += out[0];
          },
          b -> {
            nodes.predict(b, batch, out);
            sink += out[0];
          }
        };
        double[] m = medians(rounds, millis, batch, batches, calls);
        double x = m[0];
        double p = m[1];
        double n = m[2];
        System.out.printf(
            "%-30s %6d %11.3f %11.3f %11.3f %8.1fx %8.1fx%n", name, batch, x, p, n, x / p, x / n);
      }
    } finally {
      booster.dispose();
    }
  }

  @FunctionalInterface
  private interface Call {
    void run(float[] batch) throws Exception;
  }

  /**
   * Per call, the median over rounds of µs per row, after one warm-up round; the calls take turns
   * within each round, so that a busy machine slows them alike.
   */
  private static double[] medians(
      int rounds, long millis, int batch, List<float[]> batches, Call[] calls) throws Exception {
    double[][] perRow = new double[calls.length][rounds];
    for (int r = -1; r < rounds; r++) {
      for (int c = 0; c < calls.length; c++) {
        long count = 0;
        long start = System.nanoTime();
        long end = start + millis * 1_000_000L;
        long now;
        int i = 0;
        do {
          calls[c].run(batches.get(i));
          i = i + 1 == batches.size() ? 0 : i + 1;
          count++;
          now = System.nanoTime();
        } while (now < end);
        if (r >= 0) {
          perRow[c][r] = (now - start) / 1e3 / count / batch;
        }
      }
    }
    double[] out = new double[calls.length];
    for (int c = 0; c < calls.length; c++) {
      Arrays.sort(perRow[c]);
      out[c] = perRow[c][rounds / 2];
    }
    return out;
  }
}
