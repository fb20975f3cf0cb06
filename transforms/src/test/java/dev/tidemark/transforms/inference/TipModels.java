package dev.tidemark.transforms.inference;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.testing.SampleData;
import dev.tidemark.transforms.modelstore.ModelStore;
import dev.tidemark.transforms.taxi.MalformedTripException;
import dev.tidemark.transforms.taxi.TaxiTrip;
import dev.tidemark.transforms.taxi.TaxiTripCsv;
import dev.tidemark.transforms.taxi.features.FeatureAnalyzer;
import dev.tidemark.transforms.taxi.features.FeatureSpec;
import dev.tidemark.transforms.taxi.features.TaxiFeatures;
import dev.tidemark.transforms.taxi.features.TripSplit;
import dev.tidemark.transforms.taxi.model.LabeledRow;
import dev.tidemark.transforms.taxi.model.TipModelTrainer;
import dev.tidemark.transforms.taxi.model.TrainedModel;
import dev.tidemark.transforms.taxi.training.ExportModel;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixtures: trips of the shipped sample, and small taxi-tips models trained on them with the
 * real trainer and published to a real (directory) model store, as {@code tidemark train} does.
 */
public final class TipModels {

  private TipModels() {}

  /** The first {@code n} trips of the sample with a positive fare, tips, and distinct ids. */
  public static List<TaxiTrip> trips(int n) throws IOException {
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
        if (t.tips() != null && t.fare() > 0 && ids.add(TripSplit.tripId(t))) {
          out.add(t);
        }
      } catch (MalformedTripException e) {
        // Not a fixture trip.
      }
    }
    return out;
  }

  /** A model trained with {@code rounds} boosting rounds on {@code trips}, with its spec. */
  public static Map<String, byte[]> train(List<TaxiTrip> trips, int rounds) {
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    trips.forEach(analyzer::add);
    FeatureSpec spec = analyzer.spec();
    TaxiFeatures features = new TaxiFeatures(spec);
    List<LabeledRow> rows = trips.stream().map(t -> LabeledRow.of(t, features)).toList();
    TrainedModel m = TipModelTrainer.train(rows, new TipModelTrainer.Params(42, rounds, 0.3, 3, 1));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(ExportModel.MODEL_FILE, m.modelJson());
    files.put(ExportModel.FEATURE_SPEC_FILE, spec.toJson().getBytes(UTF_8));
    files.put(ExportModel.REFERENCE_FILE, m.reference().numericOnly(spec).toJson().getBytes(UTF_8));
    return files;
  }

  /** Publishes {@code files} as {@code version} of taxi-tips in the store at {@code location}. */
  public static void publish(String location, String version, Map<String, byte[]> files)
      throws IOException {
    try (ModelStore store = ModelStore.open(location)) {
      store.publish(ExportModel.MODEL, version, files);
    }
  }

  /** The probability of each trip (by id) scored alone, one predict call per trip. */
  public static Map<String, Float> oneByOne(Map<String, byte[]> files, List<TaxiTrip> trips) {
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ExportModel.FEATURE_SPEC_FILE), UTF_8)));
    Map<String, Float> out = new LinkedHashMap<>();
    for (TaxiTrip t : trips) {
      float[] p =
          TipModelTrainer.predict(
              files.get(ExportModel.MODEL_FILE), features.vector(t), features.length());
      out.put(TripSplit.tripId(t), p[0]);
    }
    return out;
  }
}
