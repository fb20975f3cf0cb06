package dev.tidemark.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.skew.SkewHistogram;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Windowed monitoring of predictions: counts, latency percentiles, prediction mean and histogram,
 * dead letters, late events, and drift of a numeric feature against its training reference. The
 * expected PSI and Kolmogorov–Smirnov figures were computed independently with Python (SciPy 1.17
 * {@code ks_2samp(ref, window, method="exact")}: D = 0.4, p = 0.417524).
 */
public class MonitorPredictionsTest {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** Training reference of "fare": the values 1, 2, …, 10 (deciles with edges 2, 3, …, 10). */
  private static final FeatureReference FARE_1_TO_10 =
      new FeatureReference(
          FeatureReference.FORMAT,
          "train",
          10,
          List.of(
              new FeatureReference.Reference(
                  0, "fare", 10, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})));

  /** A window of fares shifted low: half below the first decile edge, none above 6.5. */
  private static final double[] LOW_FARES = {0.5, 1.5, 1.6, 1.7, 1.8, 2.5, 3.5, 4.5, 5.5, 6.5};

  private static Instant at(String hhmm) {
    return Instant.parse("2015-03-07T" + hhmm + ":00Z");
  }

  private static TripPrediction prediction(double probability, long latencyMs, double fare) {
    return prediction(probability, latencyMs, fare, "0000000000000000");
  }

  private static TripPrediction prediction(
      double probability, long latencyMs, double fare, String tripId) {
    return new TripPrediction(
        tripId, 0, probability, "taxi-tips", "v1", latencyMs, new float[] {(float) fare});
  }

  /** PSI of the low fares: (0.5 − 0.1)·ln 5 + 4 · (0.0001 − 0.1)·ln(0.001), literally 3.404114. */
  @Test
  public void psiOfAShiftedWindowIsLarge() {
    assertThat(
        FeatureDrift.psi(FARE_1_TO_10.features().get(0).sample(), LOW_FARES),
        closeTo(3.404114, 1e-6));
  }

  /** The same distribution has a PSI of 0 and a KS p-value of 1. */
  @Test
  public void identicalDistributionsShowNoDrift() {
    FeatureDrift d =
        FeatureDrift.of(
            FARE_1_TO_10.features().get(0), new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.2);
    assertThat(d.psi(), closeTo(0.0, 1e-12));
    assertThat(d.psiAlert(), equalTo(false));
    assertThat(d.ksStatistic(), closeTo(0.0, 1e-12));
    assertThat(d.ksPValue(), closeTo(1.0, 1e-9));
  }

  /** KS of the low fares against the reference: D = 0.4, p = 0.417524 (SciPy, exact). */
  @Test
  public void kolmogorovSmirnovOfAShiftedWindowMatchesScipy() {
    FeatureDrift d = FeatureDrift.of(FARE_1_TO_10.features().get(0), LOW_FARES, 0.2);
    assertThat(d.ksStatistic(), closeTo(0.4, 1e-9));
    assertThat(d.ksPValue(), closeTo(0.417524, 1e-6));
    assertThat(d.psiAlert(), equalTo(true));
  }

  /**
   * Ten predictions and a dead letter in 10:00–10:05 form one on-time record; a prediction for
   * 10:02 arriving after the watermark passed 10:05 forms a late record counting one late event; a
   * prediction for 10:01 arriving after the watermark passed 10:35 (end + 30 min allowed lateness)
   * is captured on LATE with its window and the reason, not dropped: 13 events in = 11 on time (10
   * predictions, 1 dead letter) + 1 in the late pane + 1 captured. Skew is measured against a
   * pinned processing time, 10:09: from 5 min (10:04) to 9 min (10:00), all in the 1m-10m bucket.
   */
  @Test
  public void onTimeAndLatePanesReportTheirOwnEvents() {
    TestStream<TripPrediction> predictions =
        TestStream.create(TidemarkCoders.TRIP_PREDICTION)
            .addElements(
                TimestampedValue.of(prediction(0.05, 1, LOW_FARES[0]), at("10:00")),
                TimestampedValue.of(prediction(0.15, 2, LOW_FARES[1]), at("10:00")),
                TimestampedValue.of(prediction(0.25, 3, LOW_FARES[2]), at("10:01")),
                TimestampedValue.of(prediction(0.35, 4, LOW_FARES[3]), at("10:01")),
                TimestampedValue.of(prediction(0.45, 5, LOW_FARES[4]), at("10:02")),
                TimestampedValue.of(prediction(0.55, 6, LOW_FARES[5]), at("10:02")),
                TimestampedValue.of(prediction(0.65, 7, LOW_FARES[6]), at("10:03")),
                TimestampedValue.of(prediction(0.75, 8, LOW_FARES[7]), at("10:03")),
                TimestampedValue.of(prediction(0.85, 9, LOW_FARES[8]), at("10:04")),
                TimestampedValue.of(prediction(0.95, 10, LOW_FARES[9]), at("10:04")))
            // The watermark passes the end of the window: the on-time pane fires.
            .advanceWatermarkTo(at("10:06"))
            // A 10:02 prediction arrives late (within the allowed lateness): a late pane.
            .addElements(TimestampedValue.of(prediction(0.5, 7, 3.0), at("10:02")))
            // The window expires (10:05 + 30 min); a 10:01 prediction after that is too late.
            .advanceWatermarkTo(at("10:40"))
            .addElements(
                TimestampedValue.of(prediction(0.9, 3, 3.0, "00000000000000ff"), at("10:01")))
            .advanceWatermarkToInfinity();
    TestStream<String> deadLetters =
        TestStream.create(StringUtf8Coder.of())
            .addElements(TimestampedValue.of("trip_start_timestamp is missing", at("10:03")))
            .advanceWatermarkToInfinity();

    PCollectionTuple monitored =
        PCollectionTuple.of(
                MonitorPredictions.PREDICTIONS, pipeline.apply("Predictions", predictions))
            .and(MonitorPredictions.DEAD_LETTERS, pipeline.apply("DeadLetters", deadLetters))
            .apply(
                "MonitorPredictions",
                MonitorPredictions.against(FARE_1_TO_10)
                    .withClock(
                        ProcessingClock.fixedAt(java.time.Instant.parse("2015-03-07T10:09:00Z"))));
    PCollection<MonitoringRecord> records = monitored.get(MonitorPredictions.RECORDS);
    PAssert.that(
            monitored
                .get(MonitorPredictions.LATE)
                .apply("DescribeLate", MapElements.via(new DescribeLateFn())))
        .containsInAnyOrder(
            "{\"event\":\"prediction\",\"tripId\":\"00000000000000ff\",\"probability\":0.9}"
                + " at 2015-03-07T10:01:00.000Z in [2015-03-07T10:00:00.000Z..2015-03-07T10:05:00.000Z)"
                + " window [2015-03-07T10:00:00.000Z..2015-03-07T10:05:00.000Z) expired at"
                + " 2015-03-07T10:34:59.999Z (end + 30m allowed lateness)");
    PAssert.that(records.apply("Skew", MapElements.via(new SkewFn())))
        .containsInAnyOrder("ON_TIME future=0 1m-10m=10", "LATE future=0 1m-10m=1");

    PAssert.that(records.apply("Format", MapElements.via(new FormatFn())))
        .containsInAnyOrder(
            "2015-03-07T10:00:00Z ON_TIME predictions=10 deadLetters=1 late=0 rate=0.036667/s lag=0ms"
                + " p50=5ms p99=10ms mean=0.500000 histogram=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"
                + " fare: n=10 psi=3.404114 alert=true D=0.400000 p=0.417524",
            "2015-03-07T10:00:00Z LATE predictions=1 deadLetters=0 late=1 rate=0.003333/s lag=null"
                + " p50=7ms p99=7ms mean=0.500000 histogram=[0, 0, 0, 0, 0, 1, 0, 0, 0, 0]"
                + " fare: n=1 psi=8.283089 alert=true D=NaN p=NaN");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertThat(counter(result, "lateEvents"), equalTo(1L));
    assertThat(counter(result, "monitoredPredictions"), equalTo(11L));
    assertThat(counter(result, "monitoredDeadLetters"), equalTo(1L));
    assertThat(counter(result, "tooLateEvents"), equalTo(1L));
  }

  /** The accumulator and event coders round-trip (explicit coders, no Java serialization). */
  @Test
  public void accumulatorAndObservationCodersRoundTrip() throws Exception {
    MonitorPredictions.SummarizeFn fn = new MonitorPredictions.SummarizeFn(new int[] {0});
    MonitorPredictions.WindowStats stats = fn.createAccumulator();
    fn.addInput(
        stats,
        MonitorPredictions.Observation.prediction(
            "00000000000000ab", 7, 0.45, new double[] {3.5}, 90_000));
    fn.addInput(stats, MonitorPredictions.Observation.deadLetter("fare is missing"));
    fn.addInput(stats, MonitorPredictions.Observation.watermarkLag(120_000));
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(
        MonitorPredictions.WindowStatsCoder.INSTANCE, stats);
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(
        MonitorPredictions.ObservationCoder.INSTANCE,
        MonitorPredictions.Observation.prediction(
            "00000000000000ab", 7, 0.45, new double[] {3.5, Double.NaN}, -5));
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(
        MonitorPredictions.ObservationCoder.INSTANCE,
        MonitorPredictions.Observation.watermarkLag(120_000));
  }

  /** A captured event: its JSON, event time, window and the reason up to the watermark. */
  static final class DescribeLateFn extends SimpleFunction<LateElement<String>, String> {
    @Override
    public String apply(LateElement<String> l) {
      return l.element()
          + " at "
          + l.timestamp()
          + " in "
          + l.window()
          + " "
          + l.reason().substring(0, l.reason().indexOf(";"));
    }
  }

  /** Timing and the non-empty skew buckets of a record. */
  static final class SkewFn extends SimpleFunction<MonitoringRecord, String> {
    @Override
    public String apply(MonitoringRecord r) {
      StringBuilder b = new StringBuilder(r.timing());
      b.append(" future=").append(r.skew().future());
      for (SkewHistogram.Bucket k : r.skew().buckets()) {
        if (k.count() > 0 && !k.label().equals("future")) {
          b.append(' ').append(k.label()).append('=').append(k.count());
        }
      }
      return b.toString();
    }
  }

  /**
   * The watermark lag of a window is how far the newest prediction seen is ahead of the window end
   * when the watermark passes it: 2 min for 10:00–10:05 (newest 10:07), 2.5 min for 10:05–10:10
   * (newest 10:12:30), 0 for 10:10–10:15 (closed by the end of input before any newer trip); a late
   * pane has none.
   */
  @Test
  public void watermarkLagIsTheNewestEventTimeBeyondTheWindowEndWhenItCloses() {
    TestStream<TripPrediction> predictions =
        TestStream.create(TidemarkCoders.TRIP_PREDICTION)
            .addElements(
                TimestampedValue.of(prediction(0.1, 1, 5.0), at("10:01")),
                TimestampedValue.of(prediction(0.2, 1, 5.0), at("10:04")))
            // A trip of the next window arrives before the watermark moves: the newest is 10:07.
            .addElements(TimestampedValue.of(prediction(0.3, 1, 5.0), at("10:07")))
            // The watermark passes 10:05: the first window closes, 2 min behind the newest trip.
            .advanceWatermarkTo(at("10:06"))
            // A 10:12:30 trip arrives, then the watermark passes 10:10: 2.5 min behind it.
            .addElements(TimestampedValue.of(prediction(0.4, 1, 5.0), at("10:12", "30")))
            .advanceWatermarkTo(at("10:11"))
            // A late 10:03 trip refires the first window: a late pane, without a lag.
            .addElements(TimestampedValue.of(prediction(0.5, 1, 5.0), at("10:03")))
            // End of input: 10:10–10:15 closes with nothing newer than 10:12:30 seen (lag 0).
            .advanceWatermarkToInfinity();
    TestStream<String> deadLetters =
        TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity();

    PCollection<String> lags =
        PCollectionTuple.of(
                MonitorPredictions.PREDICTIONS, pipeline.apply("Predictions", predictions))
            .and(MonitorPredictions.DEAD_LETTERS, pipeline.apply("DeadLetters", deadLetters))
            .apply("MonitorPredictions", MonitorPredictions.against(FARE_1_TO_10))
            .get(MonitorPredictions.RECORDS)
            .apply("DescribeLag", MapElements.via(new LagFn()));

    PAssert.that(lags)
        .containsInAnyOrder(
            "2015-03-07T10:00:00Z ON_TIME predictions=2 watermarkLagMs=120000",
            "2015-03-07T10:00:00Z LATE predictions=1 watermarkLagMs=null",
            "2015-03-07T10:05:00Z ON_TIME predictions=1 watermarkLagMs=150000",
            "2015-03-07T10:10:00Z ON_TIME predictions=1 watermarkLagMs=0");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    DistributionResult lag = distribution(result, "watermarkLagMs");
    assertThat(lag.getCount(), equalTo(3L));
    assertThat(lag.getSum(), equalTo(270_000L));
    assertThat(lag.getMin(), equalTo(0L));
    assertThat(lag.getMax(), equalTo(150_000L));
  }

  private static Instant at(String hhmm, String ss) {
    return Instant.parse("2015-03-07T" + hhmm + ":" + ss + "Z");
  }

  /** Window start, timing, predictions and the watermark lag as the JSON record writes it. */
  static final class LagFn extends SimpleFunction<MonitoringRecord, String> {
    @Override
    public String apply(MonitoringRecord r) {
      String json = r.toJson();
      int from = json.indexOf("\"watermarkLagMs\":") + "\"watermarkLagMs\":".length();
      return String.format(
          "%s %s predictions=%d watermarkLagMs=%s",
          java.time.Instant.ofEpochMilli(r.windowStart()),
          r.timing(),
          r.predictions(),
          json.substring(from, json.indexOf(',', from)));
    }
  }

  private static DistributionResult distribution(PipelineResult result, String name) {
    for (MetricResult<DistributionResult> d :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MonitorPredictions.class, name))
                    .build())
            .getDistributions()) {
      return d.getAttempted();
    }
    throw new AssertionError("no distribution " + name);
  }

  /** One line per record: window start, timing, figures (6 decimals), drift per feature. */
  static final class FormatFn extends SimpleFunction<MonitoringRecord, String> {
    @Override
    public String apply(MonitoringRecord r) {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  "%s %s predictions=%d deadLetters=%d late=%d rate=%.6f/s lag=%s p50=%.0fms"
                      + " p99=%.0fms"
                      + " mean=%.6f histogram=%s",
                  java.time.Instant.ofEpochMilli(r.windowStart()),
                  r.timing(),
                  r.predictions(),
                  r.deadLetters(),
                  r.lateEvents(),
                  r.eventsPerSecond(),
                  Double.isNaN(r.watermarkLagMs())
                      ? "null"
                      : String.format("%.0fms", r.watermarkLagMs()),
                  r.latencyP50Ms(),
                  r.latencyP99Ms(),
                  r.predictionMean(),
                  Arrays.toString(r.histogram())));
      for (FeatureDrift d : r.drift()) {
        s.append(
            String.format(
                " %s: n=%d psi=%.6f alert=%s D=%s p=%s",
                d.feature(),
                d.values(),
                d.psi(),
                d.psiAlert(),
                Double.isNaN(d.ksStatistic()) ? "NaN" : String.format("%.6f", d.ksStatistic()),
                Double.isNaN(d.ksPValue()) ? "NaN" : String.format("%.6f", d.ksPValue())));
      }
      return s.toString();
    }
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MonitorPredictions.class, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
