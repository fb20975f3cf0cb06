package dev.tidemark.transforms.skew;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.tidemark.core.time.ProcessingClock;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Specification of {@link MeasureSkew}: taxi trip events with literal event times, processed at a
 * pinned processing time of 12:10, give literal skews, histograms and metrics.
 */
@RunWith(JUnit4.class)
public class MeasureSkewTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String DAY = "2026-11-27T";

  /** Every element is processed at 12:10:00. */
  private static final ProcessingClock PROCESSED_AT_12_10 =
      ProcessingClock.fixedAt(java.time.Instant.parse(DAY + "12:10:00Z"));

  private static Instant at(String hhmmss) {
    return Instant.parse(DAY + hhmmss + "Z");
  }

  /** A trip event stamped with its event time. */
  private static TimestampedValue<String> trip(String name, String eventTime) {
    return TimestampedValue.of(name, at(eventTime));
  }

  private static IntervalWindow window(String start, String end) {
    return new IntervalWindow(at(start), at(end));
  }

  private PCollection<String> renderedHistograms(PCollection<String> trips) {
    return trips
        .apply("MeasureSkew", MeasureSkew.<String>create().withClock(PROCESSED_AT_12_10))
        .apply("Render", MapElements.into(TypeDescriptors.strings()).via(SkewHistogram::render));
  }

  /**
   * Trips in 5-minute windows: each window's on-time pane holds its skew histogram, every skew in
   * its documented bucket, and the trip stamped 12:12 (two minutes in the future) in the future
   * bucket.
   */
  @Test
  public void eachWindowGetsAHistogramOfItsSkews() {
    TestStream<String> trips =
        TestStream.create(StringUtf8Coder.of())
            .addElements(
                trip("just-ended", "12:09:59.500"), // skew 0.5 s
                trip("ended-5s-ago", "12:09:55"), // 5 s
                trip("ended-30s-ago", "12:09:30"), // 30 s
                trip("ended-6min-ago", "12:04:00"), // 6 min
                trip("scheduled-for-12:12", "12:12:00"), // -2 min: from the future
                trip("ended-70min-ago", "11:00:00")) // 70 min
            // Event time passes every window: all on-time panes fire.
            .advanceWatermarkToInfinity();

    PCollection<String> histograms =
        renderedHistograms(
            p.apply("Trips", trips)
                .apply(
                    "WindowByFiveMinutes",
                    Window.<String>into(FixedWindows.of(Duration.standardMinutes(5)))));

    PAssert.that(histograms)
        .inOnTimePane(window("12:05:00", "12:10:00"))
        .containsInAnyOrder(
            "[2026-11-27T12:05:00.000Z, 2026-11-27T12:10:00.000Z)"
                + " future:0 0s-1s:1 1s-10s:1 10s-1m:1 1m-10m:0 10m-1h:0 1h-1d:0 1d+:0");
    PAssert.that(histograms)
        .containsInAnyOrder(
            "[2026-11-27T11:00:00.000Z, 2026-11-27T11:05:00.000Z)"
                + " future:0 0s-1s:0 1s-10s:0 10s-1m:0 1m-10m:0 10m-1h:0 1h-1d:1 1d+:0",
            "[2026-11-27T12:00:00.000Z, 2026-11-27T12:05:00.000Z)"
                + " future:0 0s-1s:0 1s-10s:0 10s-1m:0 1m-10m:1 10m-1h:0 1h-1d:0 1d+:0",
            "[2026-11-27T12:05:00.000Z, 2026-11-27T12:10:00.000Z)"
                + " future:0 0s-1s:1 1s-10s:1 10s-1m:1 1m-10m:0 10m-1h:0 1h-1d:0 1d+:0",
            "[2026-11-27T12:10:00.000Z, 2026-11-27T12:15:00.000Z)"
                + " future:1 0s-1s:0 1s-10s:0 10s-1m:0 1m-10m:0 10m-1h:0 1h-1d:0 1d+:0");
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "elementsMeasured"), is(6L));
    assertThat(counter(result, "eventsFromTheFuture"), is(1L));
  }

  /**
   * The quiz asks whether processing time can be younger than event time: yes. A trip stamped 12:12
   * processed at 12:10 has a skew of -2 minutes; the distribution's minimum shows it and it is
   * counted apart.
   */
  @Test
  public void eventStampedInTheFutureHasNegativeSkew() {
    PCollection<String> histograms =
        renderedHistograms(
            p.apply(
                "Trips",
                Create.timestamped(trip("scheduled-for-12:12", "12:12:00"))
                    .withCoder(StringUtf8Coder.of())));

    PAssert.that(histograms)
        .containsInAnyOrder(
            "[global] future:1 0s-1s:0 1s-10s:0 10s-1m:0 1m-10m:0 10m-1h:0 1h-1d:0 1d+:0");
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "eventsFromTheFuture"), is(1L));
    DistributionResult skew = distribution(result, "skewMillis");
    assertThat(skew.getMin(), is(-120_000L));
    assertThat(skew.getMax(), is(-120_000L));
  }

  /**
   * In the global window one histogram counts every element, a malformed (missing) event time
   * included: an element without its own timestamp carries Beam's minimum, a skew of thousands of
   * years, and lands in the last bucket rather than being lost; the skew distribution holds each
   * skew.
   */
  @Test
  public void globalHistogramCountsEveryElement() {
    PCollection<String> trips =
        p.apply(
            "Trips",
            Create.timestamped(
                    trip("ended-5s-ago", "12:09:55"),
                    trip("ended-6min-ago", "12:04:00"),
                    trip("scheduled-for-12:12", "12:12:00"),
                    TimestampedValue.atMinimumTimestamp("no-event-time"))
                .withCoder(StringUtf8Coder.of()));

    PAssert.that(renderedHistograms(trips))
        .containsInAnyOrder(
            "[global] future:1 0s-1s:0 1s-10s:1 10s-1m:0 1m-10m:1 10m-1h:0 1h-1d:0 1d+:1");
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "elementsMeasured"), is(4L));
    DistributionResult skew = distribution(result, "skewMillis");
    assertThat(skew.getCount(), is(4L));
    assertThat(skew.getMin(), is(-120_000L));
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(MeasureSkew.class, name))
                .build());
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : query(result, name).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  private static DistributionResult distribution(PipelineResult result, String name) {
    for (MetricResult<DistributionResult> d : query(result, name).getDistributions()) {
      return d.getAttempted();
    }
    throw new AssertionError("no distribution " + name);
  }
}
