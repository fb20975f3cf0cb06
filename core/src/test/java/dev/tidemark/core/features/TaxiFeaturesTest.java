package dev.tidemark.core.features;

import static dev.tidemark.core.fixtures.Trips.CARD_RIDE_DOWNTOWN;
import static dev.tidemark.core.fixtures.Trips.PCARD_RIDE_NO_DROPOFF;
import static dev.tidemark.core.fixtures.Trips.SMALL_VOCABULARY;
import static dev.tidemark.core.fixtures.Trips.withTips;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.features.FeatureSpec.Feature;
import dev.tidemark.core.features.FeatureSpec.Kind;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The feature vector of a trip, slot by slot, and the feature spec that lays it out. */
public class TaxiFeaturesTest {
  private static final float NAN = Float.NaN;

  private final TaxiFeatures features =
      new TaxiFeatures(TaxiFeatures.standardSpec(SMALL_VOCABULARY, Map.of()));

  /** Every slot of a fully recorded credit-card ride, in vector order. */
  @Test
  public void fullyRecordedRideFillsEverySlot() {
    assertArrayEquals(
        new float[] {
          12.45f,
          2.3f,
          840f,
          18f,
          6f,
          5f, // fare, miles, seconds, hour, day, month
          41.899602111f,
          -87.633308037f,
          41.880994471f,
          -87.632746489f, // pickup, dropoff
          8f,
          32f, // community areas
          3f, // hour bucket: 18 h is in [16, 20)
          0f,
          0f,
          0f,
          0f,
          0f,
          0f,
          0f,
          0f, // nothing missing
          0f,
          1f,
          0f, // payment: Cash, Credit Card, out of vocabulary
          1f,
          0f // company: Taxi Affiliation Services, out of vocabulary
        },
        features.vector(CARD_RIDE_DOWNTOWN),
        0f);
  }

  /** Missing values are NaN plus an indicator, never zero; unknown terms go out of vocabulary. */
  @Test
  public void missingValuesAreNanWithIndicatorsAndUnknownTermsAreOutOfVocabulary() {
    assertArrayEquals(
        new float[] {
          40.25f,
          NAN,
          2280f,
          2f,
          2f,
          1f,
          41.979070844f,
          -87.903039661f,
          NAN,
          NAN,
          76f,
          NAN,
          0f, // 2 h is before the first boundary
          1f,
          0f,
          0f,
          1f,
          0f,
          1f,
          1f,
          1f, // miles, dropoff location, area, tract, company missing
          0f,
          0f,
          1f, // Pcard is not in the vocabulary
          0f,
          0f // a missing company is in no slot
        },
        features.vector(PCARD_RIDE_NO_DROPOFF),
        0f);
  }

  /** The label column does not influence the vector: two trips differing only in tips agree. */
  @Test
  public void tripsDifferingOnlyInTipsHaveIdenticalVectors() {
    assertArrayEquals(
        features.vector(withTips(CARD_RIDE_DOWNTOWN, 0.0)),
        features.vector(withTips(CARD_RIDE_DOWNTOWN, 25.0)),
        0f);
    assertArrayEquals(
        features.vector(withTips(PCARD_RIDE_NO_DROPOFF, null)),
        features.vector(withTips(PCARD_RIDE_NO_DROPOFF, 9.99)),
        0f);
  }

  /** A spec that tries to read the tips (or the event time) is refused. */
  @Test
  public void specReadingTheLabelIsRefused() {
    Feature leak = new Feature(0, "tips", Kind.NUMERIC, "tips", null, null, null, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.of("x", List.of(leak)));
    assertThat(e.getMessage(), containsString("'tips'"));
    Feature time =
        new Feature(0, "t", Kind.NUMERIC, "trip_start_timestamp", null, null, null, null);
    assertThrows(IllegalArgumentException.class, () -> FeatureSpec.of("x", List.of(time)));
  }

  /** The spec survives JSON: the reloaded spec is equal and yields the same vectors. */
  @Test
  public void specReloadedFromJsonYieldsTheSameVectors() {
    FeatureSpec spec =
        TaxiFeatures.standardSpec(
            SMALL_VOCABULARY,
            Map.of("fare", new double[] {0.05, 112.65}, "trip_start_hour", new double[] {0, 23}));
    FeatureSpec reloaded = FeatureSpec.fromJson(spec.toJson());
    assertEquals(spec, reloaded);
    TaxiFeatures again = new TaxiFeatures(reloaded);
    assertArrayEquals(
        new TaxiFeatures(spec).vector(PCARD_RIDE_NO_DROPOFF),
        again.vector(PCARD_RIDE_NO_DROPOFF),
        0f);
  }

  /** The JSON names each slot with its kind, column, term, boundaries and training range. */
  @Test
  public void specJsonDescribesEverySlot() throws Exception {
    FeatureSpec spec =
        TaxiFeatures.standardSpec(
            SMALL_VOCABULARY,
            Map.of("fare", new double[] {0.05, 112.65}, "trip_start_hour", new double[] {0, 23}));
    JsonNode json = new ObjectMapper().readTree(spec.toJson());
    assertEquals("tidemark.feature-spec/v1", json.get("format").asText());
    assertEquals("FP32", json.get("vectorType").asText());
    assertEquals("NaN", json.get("missingValue").asText());
    assertEquals(26, json.get("length").asInt());
    assertEquals(
        "{\"index\":0,\"name\":\"fare\",\"kind\":\"NUMERIC\",\"column\":\"fare\","
            + "\"trainingMin\":0.05,\"trainingMax\":112.65}",
        json.get("features").get(0).toString());
    assertEquals(
        "{\"index\":12,\"name\":\"trip_start_hour_bucket\",\"kind\":\"BUCKETIZED\","
            + "\"column\":\"trip_start_hour\",\"boundaries\":[6.0,10.0,16.0,20.0],"
            + "\"trainingMin\":0.0,\"trainingMax\":4.0}",
        json.get("features").get(12).toString());
    assertEquals(
        "{\"index\":22,\"name\":\"payment_type=Credit Card\",\"kind\":\"ONE_HOT\","
            + "\"column\":\"payment_type\",\"term\":\"Credit Card\"}",
        json.get("features").get(22).toString());
    assertEquals(
        "{\"index\":25,\"name\":\"company=<OOV>\",\"kind\":\"OUT_OF_VOCABULARY\","
            + "\"column\":\"company\"}",
        json.get("features").get(25).toString());
    assertEquals(List.of("Cash", "Credit Card"), spec.vocabulary("payment_type"));
  }

  /** The training range flags inputs the model never saw. */
  @Test
  public void trainingRangeFlagsUnseenValues() {
    FeatureSpec spec =
        TaxiFeatures.standardSpec(SMALL_VOCABULARY, Map.of("fare", new double[] {0.05, 112.65}));
    Feature fare = spec.features().get(0);
    assertEquals(false, fare.outsideTrainingRange(12.45));
    assertEquals(true, fare.outsideTrainingRange(450.0));
  }
}
