package dev.tidemark.serving;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real taxi-tips models for the server tests: trained once per JVM on the shipped sample with the
 * training helper's own code (feature analyzer, trainer), published with {@link ModelStore} in the
 * layout {@code bin/tidemark train} writes ({@code model.json}, {@code feature_spec.json}, then
 * {@code _COMPLETE}). Two models ({@link #FIRST}, {@link #SECOND}) differ in rounds, so a swap
 * shows in the scores. Also the domain vocabulary of trips sent to the server.
 */
final class TaxiTipsModels {

  /** The model name training publishes. */
  static final String MODEL = "taxi-tips";

  /** A model of 20 rounds. */
  static final Trained FIRST = train(20);

  /** A model of 40 rounds: other scores than {@link #FIRST}. */
  static final Trained SECOND = train(40);

  /** A trained booster with the spec it was trained with. */
  record Trained(byte[] modelJson, FeatureSpec spec) {

    /** The probability the trainer's own scoring gives {@code trip}: the expected server answer. */
    float score(Map<String, ?> trip) {
      try {
        TaxiTrip t = TaxiTripJson.fromJsonMap(trip);
        return TipModelTrainer.predict(modelJson, new TaxiFeatures(spec).vector(t), spec.length())[
            0];
      } catch (MalformedTripException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  /** A credit-card trip in the Loop, fully described. */
  static final Map<String, Object> LOOP_CREDIT_CARD_TRIP =
      trip(
          "pickup_community_area",
          8,
          "fare",
          9.25,
          "trip_start_month",
          5,
          "trip_start_hour",
          18,
          "trip_start_day",
          3,
          "trip_start_timestamp",
          1400000000,
          "pickup_latitude",
          41.899602111,
          "pickup_longitude",
          -87.633308037,
          "dropoff_latitude",
          41.880994471,
          "dropoff_longitude",
          -87.632746489,
          "trip_miles",
          1.6,
          "pickup_census_tract",
          "17031081300",
          "dropoff_census_tract",
          "17031320100",
          "payment_type",
          "Credit Card",
          "company",
          "Taxi Affiliation Services",
          "trip_seconds",
          540,
          "dropoff_community_area",
          32);

  /** A cash airport run, given as CSV-like strings, with the tips the label came from. */
  static final Map<String, Object> OHARE_CASH_TRIP =
      trip(
          "pickup_community_area", "76",
          "fare", "44.25",
          "trip_start_month", "11",
          "trip_start_hour", "7",
          "trip_start_day", "2",
          "payment_type", "Cash",
          "company", "Flash Cab",
          "trip_miles", "17.8",
          "trip_seconds", "2100",
          "tips", "0");

  /** A trip that says almost nothing: only the fare. */
  static final Map<String, Object> FARE_ONLY_TRIP = trip("fare", 12.5);

  /** A trip whose fare is not a number. */
  static final Map<String, Object> MALFORMED_TRIP = trip("fare", "twelve dollars");

  private static Map<String, Object> trip(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private TaxiTipsModels() {}

  /** Publishes {@code model} as {@code name}/{@code version} in {@code repository}. */
  static void publish(String repository, S3Settings s3, String name, String version, Trained model)
      throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("model.json", model.modelJson());
    files.put("feature_spec.json", model.spec().toJson().getBytes(StandardCharsets.UTF_8));
    try (ModelStore store = ModelStore.open(repository, s3)) {
      store.publish(name, version, files);
    }
  }

  /** Publishes a complete version whose model file is not an XGBoost model. */
  static void publishBroken(String repository, S3Settings s3, String name, String version)
      throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("model.json", "{\"learner\": \"truncated".getBytes(StandardCharsets.UTF_8));
    files.put("feature_spec.json", FIRST.spec().toJson().getBytes(StandardCharsets.UTF_8));
    try (ModelStore store = ModelStore.open(repository, s3)) {
      store.publish(name, version, files);
    }
  }

  private static Trained train(int rounds) {
    try {
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
          // the training pipeline counts these; irrelevant for a fixture
        }
      }
      FeatureAnalyzer analyzer = new FeatureAnalyzer();
      clean.stream().filter(t -> !TripSplit.isEval(t)).forEach(analyzer::add);
      FeatureSpec spec = analyzer.spec();
      TaxiFeatures features = new TaxiFeatures(spec);
      List<LabeledRow> rows = clean.stream().map(t -> LabeledRow.of(t, features)).toList();
      byte[] model =
          TipModelTrainer.train(rows, new TipModelTrainer.Params(42, rounds, 0.3, 4, 1))
              .modelJson();
      return new Trained(model, spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
