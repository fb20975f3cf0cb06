package dev.tidemark.runners.bench;

import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.model.ModelVersion;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.NoOpScorer;
import dev.tidemark.transforms.inference.TripScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Where the time of in-process scoring goes, outside any runner: per trip, the feature vector
 * ({@link TaxiFeatures#writeVector}), the native predict call ({@link ModelVersion#predict}), the
 * whole {@link InProcessScorer#score} and the no-op scorer's, and {@link TripSplit#tripId}, which
 * {@code ScoreTrips} computes for every prediction whatever the scorer. Batches of {@code --batch}
 * trips of the shipped sample, and single trips; a model trained first as in {@link
 * InferenceBenchmark}. Complements {@link InferenceBenchmark}, whose in-pipeline figures are
 * noisier.
 *
 * <pre>
 * bin/benchmark ScorerCostBenchmark --batch=1000 --seconds=2 --rounds=3
 * </pre>
 */
public final class ScorerCostBenchmark {

  /** Benchmark options. */
  public interface Options extends PipelineOptions {
    @Description("Trips per batch.")
    @Default.Integer(1000)
    int getBatch();

    void setBatch(int value);

    @Description("Seconds per measurement.")
    @Default.Double(2.0)
    double getSeconds();

    void setSeconds(double value);

    @Description("Measured rounds (the first round is also a warm-up and not reported).")
    @Default.Integer(3)
    int getRounds();

    void setRounds(int value);
  }

  private ScorerCostBenchmark() {}

  /** One measured operation on a batch of trips. */
  @FunctionalInterface
  private interface Op {
    void run(List<TaxiTrip> batch) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Options opts = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Path tmp = Files.createTempDirectory("scorer-cost-benchmark");
    try {
      measureAll(opts, tmp);
    } finally {
      try (var paths = Files.walk(tmp)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static void measureAll(Options opts, Path tmp) throws Exception {
    String store = tmp.resolve("models").toString();
    InferenceBenchmark.train(store, tmp);
    List<TaxiTrip> sample = InferenceBenchmark.sampleTrips();
    List<TaxiTrip> batch = sample.subList(0, opts.getBatch());
    List<TaxiTrip> one = sample.subList(0, 1);
    try (ModelStore s = ModelStore.open(store);
        ModelVersion model =
            ModelVersion.load(s, ModelFiles.TAXI_TIPS, InferenceBenchmark.VERSION);
        TripScorer inProcess =
            InProcessScorer.pinned(store, ModelFiles.TAXI_TIPS, InferenceBenchmark.VERSION).open();
        TripScorer noOp = NoOpScorer.constant(0.5).open()) {
      TaxiFeatures features = model.features();
      int width = features.length();
      float[] flat = new float[batch.size() * width];
      Op featuresOp =
          b -> {
            for (int r = 0; r < b.size(); r++) {
              features.writeVector(b.get(r), flat, r * width);
            }
          };
      featuresOp.run(batch);
      String[] names = {"features", "predict", "score() in-process", "score() no-op", "tripId"};
      Op[] ops = {
        featuresOp,
        b -> model.predict(flat, b.size()),
        inProcess::score,
        noOp::score,
        b -> {
          for (TaxiTrip t : b) {
            TripSplit.tripId(t);
          }
        }
      };
      double[][] best = new double[2][names.length];
      for (double[] row : best) {
        java.util.Arrays.fill(row, Double.MAX_VALUE);
      }
      for (int round = 0; round <= opts.getRounds(); round++) {
        for (int i = 0; i < ops.length; i++) {
          double perRow = measure(ops[i], batch, opts.getSeconds());
          double perCall = measure(ops[i], one, opts.getSeconds());
          System.err.printf(
              Locale.ROOT,
              "%s %-19s %8.3f µs/trip in batches of %d, %8.2f µs per single trip%n",
              round == 0 ? "warm-up" : "round " + round,
              names[i],
              perRow,
              batch.size(),
              perCall);
          if (round > 0) {
            best[0][i] = Math.min(best[0][i], perRow);
            best[1][i] = Math.min(best[1][i], perCall);
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%nCost of in-process scoring, taxi-tips trained on the shipped sample (%d features),"
              + " best of %d rounds%n%-19s %22s %18s%n",
          width,
          opts.getRounds(),
          "operation",
          "µs/trip, batch " + batch.size(),
          "µs, single trip");
      for (int i = 0; i < names.length; i++) {
        System.out.printf(Locale.ROOT, "%-19s %22.3f %18.2f%n", names[i], best[0][i], best[1][i]);
      }
    }
  }

  /** µs per trip of {@code op} on {@code batch}, repeated for about {@code seconds}. */
  private static double measure(Op op, List<TaxiTrip> batch, double seconds) throws Exception {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      for (int i = 0; i < 10; i++) {
        op.run(batch);
      }
      calls += 10;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    return elapsed / 1000.0 / calls / batch.size();
  }
}
