package dev.tidemark.serving.bench;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelVersion;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.serving.model.BatchPolicy;
import dev.tidemark.serving.model.ModelEvents;
import dev.tidemark.serving.model.ServedModel;
import dev.tidemark.testing.SampleData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Benchmark helper, two modes:
 *
 * <pre>
 * ServingBenchmark prepare &lt;dir&gt;     train taxi-tips with the trainer's defaults (100 trees,
 *                                      depth 4) on the sample and publish it to &lt;dir&gt;
 * ServingBenchmark inprocess &lt;dir&gt;   in-process predict rates of that model, one trip per call
 * </pre>
 */
public final class ServingBenchmark {

  static final String MODEL = "taxi-tips";
  static final String VERSION = "20261127T090000Z";
  static final long MEASURE_NANOS = 4_000_000_000L;

  /** The trip every benchmark request sends. */
  static final Map<String, Object> TRIP =
      Map.of(
          "fare", 9.25,
          "trip_miles", 1.6,
          "trip_seconds", 540,
          "trip_start_hour", 18,
          "trip_start_day", 3,
          "trip_start_month", 5,
          "pickup_community_area", 8,
          "dropoff_community_area", 32,
          "payment_type", "Credit Card",
          "company", "Taxi Affiliation Services");

  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "prepare" -> prepare(args[1]);
      case "inprocess" -> inProcess(args[1]);
      default -> throw new IllegalArgumentException("prepare|inprocess <dir>");
    }
  }

  private static void prepare(String dir) throws Exception {
    List<TaxiTrip> clean = new ArrayList<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips())) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip trip = TaxiTripCsv.parse(line);
        if (TripRule.firstBroken(trip).isEmpty()) {
          clean.add(trip);
        }
      } catch (MalformedTripException e) {
        // not needed for a benchmark model
      }
    }
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    clean.stream().filter(t -> !TripSplit.isEval(t)).forEach(analyzer::add);
    FeatureSpec spec = analyzer.spec();
    TaxiFeatures features = new TaxiFeatures(spec);
    List<LabeledRow> rows = clean.stream().map(t -> LabeledRow.of(t, features)).toList();
    byte[] model = TipModelTrainer.train(rows, TipModelTrainer.Params.defaults(42)).modelJson();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("model.json", model);
    files.put("feature_spec.json", spec.toJson().getBytes(StandardCharsets.UTF_8));
    try (ModelStore store = ModelStore.open(dir, S3Settings.fromEnv(Map.of()))) {
      System.err.println("published " + store.publish(MODEL, VERSION, files));
    }
  }

  private static void inProcess(String dir) throws Exception {
    float[] row;
    byte[] modelBytes;
    try (ModelStore store = ModelStore.open(dir, S3Settings.fromEnv(Map.of()))) {
      Map<String, byte[]> files = store.read(MODEL, VERSION);
      modelBytes = files.get("model.json");
      FeatureSpec spec =
          FeatureSpec.fromJson(new String(files.get("feature_spec.json"), StandardCharsets.UTF_8));
      row = new TaxiFeatures(spec).vector(TaxiTripJson.fromJsonMap(TRIP));
    }
    int width = row.length;

    Booster booster = XGBoost.loadModel(modelBytes);
    booster.setParam("nthread", "1");
    double callsPerSecond = rate(() -> booster.inplace_predict(row, 1, width, Float.NaN));
    float[] batch = new float[64 * width];
    for (int i = 0; i < 64; i++) {
      System.arraycopy(row, 0, batch, i * width, width);
    }
    double batchesPerSecond = rate(() -> booster.inplace_predict(batch, 64, width, Float.NaN));
    booster.dispose();

    try (ModelStore repo = ModelStore.open(dir, S3Settings.fromEnv(Map.of()))) {
      ServedModel m =
          new ServedModel(
              ModelVersion.load(repo, MODEL, VERSION),
              BatchPolicy.DEFAULT,
              rows -> ModelEvents.NONE.batch(MODEL, rows));
      double batcherPerSecond = rate(() -> m.batcher().predict(row, 1, false).get());
      m.batcher().close();
      System.out.printf(
          "in-process  booster, 1 trip per call      %,10.0f predictions/s  (%.1f µs/call)%n",
          callsPerSecond, 1e6 / callsPerSecond);
      System.out.printf(
          "in-process  booster, 64 trips per call    %,10.0f predictions/s  (%.1f µs/call)%n",
          batchesPerSecond * 64, 1e6 / batchesPerSecond);
      System.out.printf(
          "in-process  through the batcher, 1 by 1   %,10.0f predictions/s%n", batcherPerSecond);
    }
  }

  /** Calls per second of {@code call}, after a warm-up. */
  private static double rate(Call call) throws Exception {
    long warm = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warm) {
      call.run();
    }
    long n = 0;
    long start = System.nanoTime();
    long end = start + MEASURE_NANOS;
    long now;
    do {
      call.run();
      n++;
      now = System.nanoTime();
    } while (now < end);
    return n / ((now - start) / 1e9);
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }
}
