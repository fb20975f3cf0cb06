package dev.tidemark.runners.inference;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.training.TrainedModel;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.testing.SampleData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixtures for remote inference: trips of the shipped sample and a taxi-tips model trained on
 * them by the real trainer, published to a real (directory) model store as {@code tidemark train}
 * publishes (model, feature spec, drift reference).
 */
final class TipModelFixtures {

  private TipModelFixtures() {}

  /**
   * The first {@code n} sample trips that are valid trip events with tips and distinct ids, in file
   * order (missing fields included).
   */
  static List<TaxiTrip> sampleTrips(int n) throws Exception {
    List<TaxiTrip> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips(), UTF_8)) {
      if (out.size() == n) {
        break;
      }
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip t = TaxiTripCsv.parse(line);
        TaxiTripJson.parse(TaxiTripJson.toJson(t)); // a valid trip event
        if (t.tips() != null && ids.add(TripSplit.tripId(t))) {
          out.add(t);
        }
      } catch (MalformedTripException e) {
        // Not a fixture trip.
      }
    }
    if (out.size() < n) {
      throw new IllegalStateException("the sample has only " + out.size() + " fixture trips");
    }
    return out;
  }

  /** Trains taxi-tips on {@code trips} (30 rounds, depth 4) and publishes it as {@code version}. */
  static void trainAndPublish(String store, String version, List<TaxiTrip> trips) throws Exception {
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    trips.forEach(analyzer::add);
    FeatureSpec spec = analyzer.spec();
    TaxiFeatures features = new TaxiFeatures(spec);
    List<LabeledRow> rows = trips.stream().map(t -> LabeledRow.of(t, features)).toList();
    TrainedModel m = TipModelTrainer.train(rows, new TipModelTrainer.Params(42, 30, 0.3, 4, 1));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(ModelFiles.MODEL_JSON, m.modelJson());
    files.put(ModelFiles.FEATURE_SPEC, spec.toJson().getBytes(UTF_8));
    files.put(ModelFiles.REFERENCE, m.reference().numericOnly(spec).toJson().getBytes(UTF_8));
    try (ModelStore s = ModelStore.open(store)) {
      s.publish(ModelFiles.TAXI_TIPS, version, files);
    }
  }
}
