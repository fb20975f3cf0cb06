package dev.tidemark.transforms.panes;

import static dev.tidemark.testing.Clock.at;
import static org.junit.Assert.assertEquals;

import dev.tidemark.testing.FormatPanes;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Allowed lateness, with late data captured and never silently lost. Two-minute windows with two
 * minutes of allowed lateness: TeamX scores 5 and 7 on time, 3 late but within the allowed
 * lateness, and 9 after the window expired (the watermark passed 12:02 + 2 min).
 */
public class LateDataTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static TimestampedValue<KV<String, Long>> score(long points, String time) {
    return TimestampedValue.of(KV.of("TeamX", points), at(time));
  }

  /** The LeaderBoard-style stream: on time, late within lateness, then too late. */
  private static TestStream<KV<String, Long>> stream() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(at("12:00"))
        .addElements(score(5, "12:00:26"), score(7, "12:01:10"))
        .advanceWatermarkTo(at("12:02:30")) // on-time pane for [12:00, 12:02)
        .addElements(score(3, "12:01:30")) // late, within the allowed lateness: a late pane
        .advanceWatermarkTo(at("12:05")) // the window expires at 12:03:59.999
        .addElements(score(9, "12:01:45")) // too late: captured
        .advanceWatermarkToInfinity();
  }

  private static WindowingPolicy policy(String trigger) {
    return WindowingPolicy.of(WindowSpec.parse("fixed:2m"))
        .withTrigger(TriggerSpec.parse(trigger))
        .withAccumulation(Accumulation.ACCUMULATING)
        .withAllowedLateness(Duration.standardMinutes(2));
  }

  private static final String TOO_LATE_REASON =
      "window [2026-01-01T12:00:00.000Z..2026-01-01T12:02:00.000Z) expired at"
          + " 2026-01-01T12:03:59.999Z (end + 2m allowed lateness); watermark was"
          + " 2026-01-01T12:05:00.000Z";

  /** Late elements within the allowed lateness refire the window; the too-late one is captured. */
  @Test
  public void lateElementWithinAllowedLatenessRefiresWindowAndTooLateElementIsCaptured() {
    Panes<String, Long, Long> panes =
        p.apply(stream()).apply(ComputePanes.of(policy("watermark(late=count(1))"), Sum.ofLongs()));
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:02:00) @12:01:59.999 ON_TIME index=0 onTime=0  first      TeamX=12",
            "[12:00:00, 12:02:00) @12:01:59.999 LATE    index=1 onTime=1             TeamX=15");
    PAssert.that(panes.late().apply("DescribeLate", MapElements.via(new DescribeLateFn())))
        .containsInAnyOrder("TeamX=9 @12:01:45 in [12:00:00, 12:02:00): " + TOO_LATE_REASON);
    assertNothingDroppedByTheRunner(p.run());
  }

  /** Tidemark's trigger engine (a data-driven trigger here) captures the same too-late element. */
  @Test
  public void triggerEngineCapturesTheTooLateElementToo() {
    Panes<String, Long, Long> panes =
        p.apply(stream())
            .apply(
                ComputePanes.of(
                    policy("watermark(early=tag(never-present), late=count(1))"), Sum.ofLongs()));
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:02:00) @12:01:59.999 ON_TIME index=0 onTime=0  first      TeamX=12",
            "[12:00:00, 12:02:00) @12:01:59.999 LATE    index=1 onTime=1             TeamX=15");
    PAssert.that(panes.late().apply("DescribeLate", MapElements.via(new DescribeLateFn())))
        .containsInAnyOrder("TeamX=9 @12:01:45 in [12:00:00, 12:02:00): " + TOO_LATE_REASON);
    assertNothingDroppedByTheRunner(p.run());
  }

  /**
   * Conservation: elements in = elements that reached panes + captured (4 = 3 + 1), counted with a
   * discarding count so that every element is counted in exactly one pane.
   */
  @Test
  public void everyElementReachesAPaneOrIsCaptured() {
    Panes<String, Long, Long> counted =
        p.apply(stream())
            .apply(
                ComputePanes.of(
                    policy("watermark(late=count(1))").withAccumulation(Accumulation.DISCARDING),
                    Count.<Long>combineFn()));
    PAssert.that(counted.panes()).satisfies(new PaneValuesSumTo(3));
    PAssert.that(counted.late()).satisfies(new HasSize<>(1));
    assertNothingDroppedByTheRunner(p.run());
  }

  /** Control: the same stream through plain Beam windowing loses the too-late element silently. */
  @Test
  public void plainBeamDropsTheTooLateElement() {
    p.apply(stream())
        .apply("PlainWindow", policy("watermark(late=count(1))").<KV<String, Long>>toWindow())
        .apply("PlainSum", Combine.perKey(Sum.ofLongs()));
    assertEquals(1L, droppedDueToLateness(p.run()));
  }

  private static void assertNothingDroppedByTheRunner(PipelineResult result) {
    result.waitUntilFinish();
    assertEquals("Beam's droppedDueToLateness", 0L, droppedDueToLateness(result));
  }

  private static long droppedDueToLateness(PipelineResult result) {
    result.waitUntilFinish();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    long dropped = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      // DirectRunner names it DroppedDueToLateness, runners-core droppedDueToLateness.
      if (c.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += c.getAttempted();
      }
    }
    return dropped;
  }

  /** The pane values add up to the expected count. */
  record PaneValuesSumTo(long expected)
      implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    @Override
    public Void apply(Iterable<KV<String, Long>> panes) {
      long sum = 0;
      for (KV<String, Long> pane : panes) {
        sum += pane.getValue();
      }
      assertEquals(expected, sum);
      return null;
    }
  }

  /** The collection has the expected number of elements. */
  record HasSize<T>(long expected) implements SerializableFunction<Iterable<T>, Void> {
    @Override
    public Void apply(Iterable<T> items) {
      long n = 0;
      for (T ignored : items) {
        n++;
      }
      assertEquals(expected, n);
      return null;
    }
  }

  /** One readable line per captured element. */
  static final class DescribeLateFn extends SimpleFunction<LateElement<KV<String, Long>>, String> {
    @Override
    public String apply(LateElement<KV<String, Long>> late) {
      return late.element().getKey()
          + "="
          + late.element().getValue()
          + " @"
          + FormatPanes.time(late.timestamp())
          + " in "
          + FormatPanes.window(late.window())
          + ": "
          + late.reason();
    }
  }

  /**
   * A bounded input (batch) has nothing late: the watermark waits for the whole input, so the same
   * scores, even the one that is "too late" in the stream above, all land in one on-time pane and
   * nothing is captured.
   */
  @Test
  public void boundedInputHasNothingLateAndCombinesInOnePane() {
    Panes<String, Long, Long> scores =
        p.apply(
                "BoundedScores",
                org.apache.beam.sdk.transforms.Create.timestamped(
                        score(5, "12:00:26"),
                        score(7, "12:01:10"),
                        score(3, "12:01:30"),
                        score(9, "12:01:45"))
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(
                "ScorePerTeam", ComputePanes.of(policy("watermark(late=count(1))"), Sum.ofLongs()));
    PAssert.that(scores.panes())
        .inOnTimePane(
            new org.apache.beam.sdk.transforms.windowing.IntervalWindow(at("12:00"), at("12:02")))
        .containsInAnyOrder(KV.of("TeamX", 24L));
    PAssert.that(scores.late()).empty();
    p.run().waitUntilFinish();
  }
}
