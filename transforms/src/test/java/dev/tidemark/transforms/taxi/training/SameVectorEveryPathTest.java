package dev.tidemark.transforms.taxi.training;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.Rule;
import org.junit.Test;

/**
 * One raw trip, one vector, whichever way it travels: plain {@link TaxiFeatures}, the Beam {@link
 * ExtractFeatures} (spec as side input and as a fixed spec), a spec reloaded from its JSON, and the
 * trip read from CSV or from a JSON object with the CSV column names (the model server's input).
 */
public class SameVectorEveryPathTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String LINE =
      "8,12.45,5,18,6,1431716400,41.899602111,-87.633308037,,,2.3,,,Credit Card,Medallion Leasin,840,32,3.0";

  /** The vector expected from every path, written out by hand. */
  private static final float[] EXPECTED = {
    12.45f,
    2.3f,
    840f,
    18f,
    6f,
    5f,
    41.899602111f,
    -87.633308037f,
    Float.NaN,
    Float.NaN,
    8f,
    32f,
    3f,
    0f,
    0f,
    0f,
    1f,
    0f,
    0f,
    1f,
    0f,
    0f,
    1f,
    0f,
    0f,
    1f
  };

  private static final FeatureSpec SPEC =
      TaxiFeatures.standardSpec(
          Map.of(
              "payment_type", List.of("Cash", "Credit Card"),
              "company", List.of("Taxi Affiliation Services")),
          Map.of("fare", new double[] {0.05, 112.65}));

  /** Plain Java paths: CSV, typed JSON object, string JSON object, reloaded spec. */
  @Test
  public void plainPathsAgree() throws Exception {
    TaxiTrip fromCsv = TaxiTripCsv.parse(LINE);
    assertArrayEquals(EXPECTED, new TaxiFeatures(SPEC).vector(fromCsv), 0f);
    TaxiFeatures reloaded = new TaxiFeatures(FeatureSpec.fromJson(SPEC.toJson()));
    assertArrayEquals(EXPECTED, reloaded.vector(fromCsv), 0f);
    assertArrayEquals(EXPECTED, reloaded.vector(TaxiTripJson.fromJsonMap(stringMap())), 0f);
    assertArrayEquals(EXPECTED, reloaded.vector(TaxiTripJson.fromJsonMap(typedMap())), 0f);
  }

  /** The Beam transform, with the spec as a side input or fixed, gives the same vector. */
  @Test
  public void beamPathsAgree() throws Exception {
    PCollection<TaxiTrip> trips =
        p.apply("Trip", Create.of(TaxiTripCsv.parse(LINE)).withCoder(TaxiTripCoder.of()));
    PCollectionView<FeatureSpec> view =
        p.apply("Spec", Create.of(SPEC).withCoder(SerializableCoder.of(FeatureSpec.class)))
            .apply("SpecView", View.asSingleton());
    PAssert.that(trips.apply("FromSideInput", ExtractFeatures.withSpec(view)))
        .satisfies(new HasExpectedVector());
    PAssert.that(
            trips.apply(
                "FromReloadedSpec", ExtractFeatures.withSpec(FeatureSpec.fromJson(SPEC.toJson()))))
        .satisfies(new HasExpectedVector());
    p.run().waitUntilFinish();
  }

  /** Checks the single row's vector. */
  static final class HasExpectedVector implements SerializableFunction<Iterable<LabeledRow>, Void> {
    @Override
    public Void apply(Iterable<LabeledRow> rows) {
      List<LabeledRow> all = new java.util.ArrayList<>();
      rows.forEach(all::add);
      assertEquals(1, all.size());
      assertArrayEquals(EXPECTED, all.get(0).features(), 0f);
      assertEquals(1f, all.get(0).bigTipper(), 0f); // 3.0 > 0.2 * 12.45 = 2.49
      return null;
    }
  }

  private static Map<String, Object> stringMap() {
    String[] values = LINE.split(",", -1);
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(TaxiTripCsv.COLUMNS.get(i), values[i]);
    }
    return m;
  }

  private static Map<String, Object> typedMap() {
    Map<String, Object> m = new HashMap<>();
    m.put("pickup_community_area", 8);
    m.put("fare", 12.45);
    m.put("trip_start_month", 5);
    m.put("trip_start_hour", 18);
    m.put("trip_start_day", 6);
    m.put("pickup_latitude", 41.899602111);
    m.put("pickup_longitude", -87.633308037);
    m.put("trip_miles", 2.3);
    m.put("payment_type", "Credit Card");
    m.put("company", "Medallion Leasin");
    m.put("trip_seconds", 840);
    m.put("dropoff_community_area", 32);
    // no tips, no timestamp, no dropoff: the server's request need not carry them
    return m;
  }
}
