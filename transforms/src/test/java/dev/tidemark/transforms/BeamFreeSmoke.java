package dev.tidemark.transforms;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the model server does with the Beam-free classes: parse a trip (CSV and JSON), check it,
 * compute its vector from a reloaded spec, and publish and read a model version. Run by {@link
 * BeamFreePackagesTest} in a class loader without Beam.
 */
public final class BeamFreeSmoke implements Callable<String> {
  @Override
  public String call() throws Exception {
    String line =
        "8,12.45,5,18,6,1431716400,41.899602111,-87.633308037,41.880994471,-87.632746489,2.3,,"
            + "17031320100,Credit Card,Taxi Affiliation Services,840,32,3.0";
    TaxiTrip trip = TaxiTripCsv.parse(line);
    TaxiTrip fromJson = TaxiTripJson.fromJsonMap(Map.of("payment_type", "Cash"));
    FeatureSpec spec = FeatureSpec.fromJson(new FeatureAnalyzer().add(trip).spec().toJson());
    float[] v = new TaxiFeatures(spec).vector(trip);
    Path dir = Files.createTempDirectory("beam-free-store");
    try (ModelStore store = ModelStore.open(dir.toString(), null)) {
      store.publish(
          "m", "v1", Map.of("feature_spec.json", spec.toJson().getBytes(StandardCharsets.UTF_8)));
      return TripRule.firstBroken(trip).isEmpty()
          + " "
          + TripSplit.tripId(trip)
          + " "
          + Arrays.toString(Arrays.copyOf(v, 3))
          + " "
          + Double.isNaN(fromJson.fare())
          + " "
          + store.latestVersion("m").orElseThrow();
    }
  }
}
