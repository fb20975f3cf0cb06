package dev.tidemark.runners.inference;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.testing.SampleData;
import dev.tidemark.transforms.modelstore.ModelStore;
import dev.tidemark.transforms.taxi.MalformedTripException;
import dev.tidemark.transforms.taxi.TaxiTrip;
import dev.tidemark.transforms.taxi.TaxiTripCsv;
import dev.tidemark.transforms.taxi.TaxiTripJson;
import dev.tidemark.transforms.taxi.features.FeatureAnalyzer;
import dev.tidemark.transforms.taxi.features.FeatureSpec;
import dev.tidemark.transforms.taxi.features.TaxiFeatures;
import dev.tidemark.transforms.taxi.features.TripSplit;
import dev.tidemark.transforms.taxi.model.LabeledRow;
import dev.tidemark.transforms.taxi.model.TipModelTrainer;
import dev.tidemark.transforms.taxi.model.TrainedModel;
import dev.tidemark.transforms.taxi.training.ExportModel;
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
    files.put(ExportModel.MODEL_FILE, m.modelJson());
    files.put(ExportModel.FEATURE_SPEC_FILE, spec.toJson().getBytes(UTF_8));
    files.put(ExportModel.REFERENCE_FILE, m.reference().numericOnly(spec).toJson().getBytes(UTF_8));
    try (ModelStore s = ModelStore.open(store)) {
      s.publish(ExportModel.MODEL, version, files);
    }
  }
}
