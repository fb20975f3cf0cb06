package dev.tidemark.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Predictions that need attention become review records explained by the model version that made
 * them; confident in-range predictions produce nothing; predictions that cannot be explained in
 * process are reviewed without an explanation, never dropped.
 *
 * <p>Fixture: two real versions trained on the shipped sample (v1: trips 0–399, 20 rounds; v2:
 * trips 200–599, 30 rounds). Their probabilities come from the reference scorer ({@link
 * TipModels#oneByOne}); the trip called {@code borderline} (trip 21) gets 0.68118674 from v1 and
 * 0.40935525 from v2. v1's training range of {@code fare} is [3.05, 50.25].
 */
public class ExplainForReviewTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String V1 = "20261127T090000Z";
  private static final String V2 = "20261127T100000Z";
  private static final String NOT_IN_STORE = "20990101T000000Z";

  private static String store;
  private static TaxiTrip borderline;
  private static TaxiTrip ordinary;
  private static TaxiTrip expensive;
  private static TripPrediction borderlineByV1;
  private static TripPrediction borderlineByV2;
  private static TripPrediction ordinaryByV1;
  private static TripPrediction expensiveByV1;
  private static TripPrediction byMissingVersion;
  private static TripPrediction byNoOp;

  private static Instant at(String hhmm) {
    return Instant.parse("2015-03-07T" + hhmm + ":00Z");
  }

  @BeforeClass
  public static void trainTwoVersionsAndPredict() throws IOException {
    List<TaxiTrip> sample = TipModels.trips(600);
    Map<String, byte[]> v1 = TipModels.train(sample.subList(0, 400), 20);
    Map<String, byte[]> v2 = TipModels.train(sample.subList(200, 600), 30);
    store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, V1, v1);
    TipModels.publish(store, V2, v2);
    borderline = sample.get(21);
    ordinary = sample.get(1);
    expensive = withFare(sample.get(0), 10_000.0);
    borderlineByV1 = predict(v1, V1, borderline, at("10:00"));
    borderlineByV2 = predict(v2, V2, borderline, at("10:01"));
    ordinaryByV1 = predict(v1, V1, ordinary, at("10:02"));
    expensiveByV1 = predict(v1, V1, expensive, at("10:07"));
    byMissingVersion =
        new TripPrediction(
            TripSplit.tripId(ordinary),
            at("10:03").getMillis(),
            0.5,
            ModelFiles.TAXI_TIPS,
            NOT_IN_STORE,
            0,
            features(v1).vector(ordinary));
    byNoOp =
        new TripPrediction(
            TripSplit.tripId(ordinary),
            at("10:04").getMillis(),
            0.5,
            NoOpScorer.MODEL,
            "0",
            0,
            new float[0]);
  }

  /**
   * Six predictions, four needing attention: the borderline trip as v2 scored it (0.4094, low
   * confidence) is explained by v2, the trip with a fare of 10,000 by v1 (out of range), in their
   * own windows; a version missing from the store and a no-op prediction are reviewed without an
   * explanation; the borderline trip as v1 scored it (0.6812) and an ordinary trip produce nothing.
   */
  @Test
  public void predictionsNeedingAttentionAreExplainedByTheirOwnVersion() {
    TestStream<TripPrediction> predictions =
        TestStream.create(SerializableCoder.of(TripPrediction.class))
            .addElements(
                timestamped(borderlineByV1),
                timestamped(borderlineByV2),
                timestamped(ordinaryByV1),
                timestamped(byMissingVersion),
                timestamped(byNoOp),
                timestamped(expensiveByV1))
            // All six are in; the windows close.
            .advanceWatermarkToInfinity();

    PCollection<String> records =
        pipeline
            .apply("Predictions", predictions)
            .apply(
                "WindowIntoFiveMinutes",
                Window.<TripPrediction>into(FixedWindows.of(Duration.standardMinutes(5))))
            .apply("ExplainForReview", ExplainForReview.withModelsFrom(store))
            .apply("Describe", MapElements.via(new DescribeFn()));

    PAssert.that(records)
        .inWindow(new IntervalWindow(at("10:00"), at("10:05")))
        .containsInAnyOrder(
            TripSplit.tripId(borderline)
                + " "
                + V2
                + " [low confidence: probability 0.4094 is within [0.4, 0.6]]"
                + " out-of-range=[] explained-by-own-version=true",
            TripSplit.tripId(ordinary)
                + " "
                + NOT_IN_STORE
                + " [low confidence: probability 0.5000 is within [0.4, 0.6]]"
                + " out-of-range=[] error=version 20990101T000000Z of taxi-tips cannot be loaded",
            TripSplit.tripId(ordinary)
                + " 0 [low confidence: probability 0.5000 is within [0.4, 0.6]]"
                + " out-of-range=[] error=the prediction carries no input vector (model no-op)");
    PAssert.that(records)
        .inWindow(new IntervalWindow(at("10:05"), at("10:10")))
        .containsInAnyOrder(
            TripSplit.tripId(expensive)
                + " "
                + V1
                + " [fare = 10000.0 is outside the training range [3.05, 50.25]]"
                + " out-of-range=[fare 10000.0 in 3.05..50.25] explained-by-own-version=true");

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long in = 6;
    assertThat(counter(result, "reviewed"), equalTo(4L));
    assertThat(counter(result, "notNeedingAttention"), equalTo(2L));
    assertThat(counter(result, "reviewed") + counter(result, "notNeedingAttention"), equalTo(in));
    assertThat(counter(result, "explained"), equalTo(2L));
    assertThat(counter(result, "notExplained"), equalTo(2L));
  }

  /**
   * {@code <trip> <version> <reasons> out-of-range=[..]} then whether the explanation's probability
   * is the prediction's own (so the version that predicted also explained), or the start of the
   * error.
   */
  static final class DescribeFn extends SimpleFunction<ReviewRecord, String> {
    @Override
    public String apply(ReviewRecord r) {
      StringBuilder s = new StringBuilder(r.tripId() + " " + r.version() + " " + r.reasons());
      s.append(" out-of-range=[");
      for (AttentionPolicy.OutOfRange o : r.outOfRange()) {
        s.append(o.feature())
            .append(' ')
            .append(o.value())
            .append(" in ")
            .append(o.trainingMin())
            .append("..")
            .append(o.trainingMax());
      }
      s.append(']');
      if (r.explanation() != null) {
        s.append(" explained-by-own-version=")
            .append(Math.abs(r.explanation().probability() - r.probability()) < 1e-6);
      } else {
        String e = r.explanationError();
        int cut = e.indexOf(" from ");
        s.append(" error=").append(cut < 0 ? e : e.substring(0, cut));
      }
      return s.toString();
    }
  }

  private static TimestampedValue<TripPrediction> timestamped(TripPrediction p) {
    return TimestampedValue.of(p, new Instant(p.eventTimeMillis()));
  }

  private static TaxiFeatures features(Map<String, byte[]> files) {
    return new TaxiFeatures(
        FeatureSpec.fromJson(
            new String(files.get(ModelFiles.FEATURE_SPEC), StandardCharsets.UTF_8)));
  }

  /** The prediction the reference scorer makes for {@code trip} with {@code files}. */
  private static TripPrediction predict(
      Map<String, byte[]> files, String version, TaxiTrip trip, Instant t) {
    float p = TipModels.oneByOne(files, List.of(trip)).values().iterator().next();
    return new TripPrediction(
        TripSplit.tripId(trip),
        t.getMillis(),
        p,
        ModelFiles.TAXI_TIPS,
        version,
        0,
        features(files).vector(trip));
  }

  private static TaxiTrip withFare(TaxiTrip t, double fare) {
    return new TaxiTrip(
        t.pickupCommunityArea(),
        fare,
        t.tripStartMonth(),
        t.tripStartHour(),
        t.tripStartDay(),
        t.tripStartTimestamp(),
        t.pickupLatitude(),
        t.pickupLongitude(),
        t.dropoffLatitude(),
        t.dropoffLongitude(),
        t.tripMiles(),
        t.pickupCensusTract(),
        t.dropoffCensusTract(),
        t.paymentType(),
        t.company(),
        t.tripSeconds(),
        t.dropoffCommunityArea(),
        t.tips());
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ExplainForReview.class, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
