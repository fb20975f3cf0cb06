package dev.tidemark.transforms.inference.graph;

import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The windowed champion/challenger comparison: per 5-minute event-time window, per step counts,
 * mean probabilities and positive shares, and for trips both steps answered (shadow mode) the
 * pairs, mean absolute difference and agreement rate; late predictions in a late report.
 */
public class CompareChampionChallengerTest {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Instant TEN = Instant.parse("2015-03-07T10:00:00Z");
  private static final IntervalWindow TEN_TO_FIVE_PAST =
      new IntervalWindow(TEN, TEN.plus(Duration.standardMinutes(5)));
  private static final IntervalWindow FIVE_PAST_TO_TEN_PAST =
      new IntervalWindow(TEN.plus(Duration.standardMinutes(5)), Duration.standardMinutes(5));

  private static Instant at(String time) {
    return Instant.parse("2015-03-07T" + time + "Z");
  }

  /** A shadow-mode prediction: the champion (v2) answers {@code champion}, the challenger (v1). */
  private static TimestampedValue<TripPrediction> shadow(
      String tripId, String time, double champion, double challenger) {
    return TimestampedValue.of(
        new TripPrediction(
            tripId,
            at(time).getMillis(),
            champion,
            "taxi-tips",
            "v2",
            1,
            new float[0],
            List.of(
                new StepOutput("champion", "taxi-tips", "v2", champion),
                new StepOutput("challenger", "taxi-tips", "v1", challenger))),
        at(time));
  }

  /** A split-mode prediction answered by one step only. */
  private static TimestampedValue<TripPrediction> split(
      String tripId, String time, String step, String version, double p) {
    return TimestampedValue.of(
        new TripPrediction(
            tripId,
            at(time).getMillis(),
            p,
            "taxi-tips",
            version,
            1,
            new float[0],
            List.of(new StepOutput(step, "taxi-tips", version, p))),
        at(time));
  }

  /**
   * Four shadow pairs in 10:00-10:05 (one disagreement at 0.5), then a late pair: an on-time report
   * with literal figures, then a late report of the late pair alone.
   */
  @Test
  public void shadowPairsAreComparedPerWindowAndLatePairsInALateReport() {
    TestStream<TripPrediction> stream =
        TestStream.create(TidemarkCoders.TRIP_PREDICTION)
            .addElements(
                shadow("a", "10:00:10", 0.25, 0.5),
                shadow("b", "10:01:00", 0.75, 0.625),
                shadow("c", "10:02:00", 0.5, 0.75),
                shadow("d", "10:04:59", 0.125, 0.125))
            // The watermark passes the end of the window: the on-time report fires.
            .advanceWatermarkTo(at("10:06:00"))
            // A late pair, within the allowed lateness: a late report with it alone.
            .addElements(shadow("e", "10:03:00", 1.0, 0.0))
            // Past the allowed lateness (10:05 + 30 min): a 10:04 pair is captured, not reported.
            .advanceWatermarkTo(at("10:36:00"))
            .addElements(shadow("f", "10:04:00", 0.5, 0.5))
            .advanceWatermarkToInfinity();

    PCollectionTuple compared =
        pipeline
            .apply("Predictions", stream)
            .apply("Compare", CompareChampionChallenger.of("champion"));
    PCollection<String> reports =
        compared
            .get(CompareChampionChallenger.REPORTS)
            .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(r -> r.toJson()));
    PAssert.that(
            compared
                .get(CompareChampionChallenger.LATE)
                .apply(
                    "DescribeLate",
                    MapElements.into(TypeDescriptors.strings())
                        .via(l -> l.window() + " " + l.element().contains("\"tripId\":\"f\""))))
        .containsInAnyOrder("[2015-03-07T10:00:00.000Z..2015-03-07T10:05:00.000Z) true");

    String onTime =
        "{\"windowStart\":\"2015-03-07T10:00:00Z\",\"windowEnd\":\"2015-03-07T10:05:00Z\","
            + "\"timing\":\"ON_TIME\",\"steps\":["
            + "{\"step\":\"challenger\",\"versions\":[\"taxi-tips@v1\"],\"count\":4,"
            + "\"meanProbability\":0.5,\"positiveShare\":0.75},"
            + "{\"step\":\"champion\",\"versions\":[\"taxi-tips@v2\"],\"count\":4,"
            + "\"meanProbability\":0.40625,\"positiveShare\":0.5}],"
            + "\"pairs\":[{\"champion\":\"champion\",\"challenger\":\"challenger\",\"pairs\":4,"
            + "\"meanAbsoluteDifference\":0.15625,\"agreementRate\":0.75}]}";
    String late =
        "{\"windowStart\":\"2015-03-07T10:00:00Z\",\"windowEnd\":\"2015-03-07T10:05:00Z\","
            + "\"timing\":\"LATE\",\"steps\":["
            + "{\"step\":\"challenger\",\"versions\":[\"taxi-tips@v1\"],\"count\":1,"
            + "\"meanProbability\":0.0,\"positiveShare\":0.0},"
            + "{\"step\":\"champion\",\"versions\":[\"taxi-tips@v2\"],\"count\":1,"
            + "\"meanProbability\":1.0,\"positiveShare\":1.0}],"
            + "\"pairs\":[{\"champion\":\"champion\",\"challenger\":\"challenger\",\"pairs\":1,"
            + "\"meanAbsoluteDifference\":1.0,\"agreementRate\":0.0}]}";
    PAssert.that(reports).inOnTimePane(TEN_TO_FIVE_PAST).containsInAnyOrder(onTime);
    // The late pane is not the final one: discarding, nothing is left when the window closes.
    PAssert.that(reports).inWindow(TEN_TO_FIVE_PAST).containsInAnyOrder(onTime, late);
    pipeline.run().waitUntilFinish();
  }

  /**
   * A 90/10 split gives per-step figures and no pairs; each window reports only its own trips, and
   * a version swap shows as two versions of one step.
   */
  @Test
  public void splitPredictionsAreSummarizedPerStepWithoutPairs() {
    TestStream<TripPrediction> stream =
        TestStream.create(TidemarkCoders.TRIP_PREDICTION)
            .addElements(
                split("a", "10:00:00", "champion", "v2", 0.75),
                split("b", "10:01:00", "champion", "v3", 0.25),
                split("c", "10:02:00", "challenger", "v1", 0.5),
                split("d", "10:06:00", "champion", "v3", 0.5))
            .advanceWatermarkToInfinity();

    PCollection<String> reports =
        pipeline
            .apply("Predictions", stream)
            .apply("Compare", CompareChampionChallenger.of("champion"))
            .get(CompareChampionChallenger.REPORTS)
            .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(r -> r.toJson()));

    PAssert.that(reports)
        .inOnTimePane(TEN_TO_FIVE_PAST)
        .containsInAnyOrder(
            "{\"windowStart\":\"2015-03-07T10:00:00Z\",\"windowEnd\":\"2015-03-07T10:05:00Z\","
                + "\"timing\":\"ON_TIME\",\"steps\":["
                + "{\"step\":\"challenger\",\"versions\":[\"taxi-tips@v1\"],\"count\":1,"
                + "\"meanProbability\":0.5,\"positiveShare\":1.0},"
                + "{\"step\":\"champion\",\"versions\":[\"taxi-tips@v2\",\"taxi-tips@v3\"],"
                + "\"count\":2,\"meanProbability\":0.5,\"positiveShare\":0.5}],\"pairs\":[]}");
    PAssert.that(reports)
        .inOnTimePane(FIVE_PAST_TO_TEN_PAST)
        .containsInAnyOrder(
            "{\"windowStart\":\"2015-03-07T10:05:00Z\",\"windowEnd\":\"2015-03-07T10:10:00Z\","
                + "\"timing\":\"ON_TIME\",\"steps\":["
                + "{\"step\":\"champion\",\"versions\":[\"taxi-tips@v3\"],\"count\":1,"
                + "\"meanProbability\":0.5,\"positiveShare\":1.0}],\"pairs\":[]}");
    pipeline.run().waitUntilFinish();
  }

  /** A one-minute window is configurable: two trips a minute apart land in two reports. */
  @Test
  public void theWindowSizeIsConfigurable() {
    TestStream<TripPrediction> stream =
        TestStream.create(TidemarkCoders.TRIP_PREDICTION)
            .addElements(
                split("a", "10:00:00", "champion", "v2", 0.75),
                split("b", "10:01:00", "champion", "v2", 0.25))
            .advanceWatermarkToInfinity();

    PCollection<Long> reports =
        pipeline
            .apply("Predictions", stream)
            .apply(
                "Compare",
                CompareChampionChallenger.of("champion").withWindow(Duration.standardMinutes(1)))
            .get(CompareChampionChallenger.REPORTS)
            .apply(
                "Counts",
                MapElements.into(TypeDescriptors.longs()).via(r -> r.steps().get(0).count()));

    PAssert.that(reports)
        .inWindow(new IntervalWindow(TEN, Duration.standardMinutes(1)))
        .containsInAnyOrder(1L);
    PAssert.that(reports)
        .inWindow(new IntervalWindow(at("10:01:00"), Duration.standardMinutes(1)))
        .containsInAnyOrder(1L);
    pipeline.run().waitUntilFinish();
  }

  /** The accumulator coder: encoding what it decoded gives the same bytes. */
  @Test
  public void accumulatorCoderRoundTrips() throws Exception {
    CompareChampionChallenger.SummarizeStepsFn fn =
        new CompareChampionChallenger.SummarizeStepsFn("champion");
    CompareChampionChallenger.Stats stats = fn.createAccumulator();
    fn.addInput(stats, shadow("a", "10:00:10", 0.25, 0.5).getValue());
    fn.addInput(stats, split("b", "10:01:00", "champion", "v3", 0.75).getValue());
    byte[] once =
        org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
            CompareChampionChallenger.StatsCoder.INSTANCE, stats);
    byte[] twice =
        org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
            CompareChampionChallenger.StatsCoder.INSTANCE,
            org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
                CompareChampionChallenger.StatsCoder.INSTANCE, once));
    org.junit.Assert.assertArrayEquals(once, twice);
    org.junit.Assert.assertEquals(2, stats.steps.size());
    org.junit.Assert.assertEquals(1, stats.pairs.size());
  }
}
