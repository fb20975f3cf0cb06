package dev.tidemark.transforms.panes;

import static dev.tidemark.testing.Clock.at;
import static org.junit.Assert.assertEquals;

import dev.tidemark.testing.FormatPanes;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.Serializable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * The deck's accumulation table: one window whose panes hold [7], [3, 4] and [8].
 *
 * <pre>
 *                        Discarding  Accumulating  Accumulating &amp; retracting
 *   Pane 1: [7]              7            7          7
 *   Pane 2: [3, 4]           7           14          14, -7
 *   Pane 3: [8]              8           22          22, -14
 *   Last value observed      8           22          22
 *   Total sum               22           43          22
 * </pre>
 *
 * The slide prints 51 as the accumulating total: that is an arithmetic slip (7 + 14 + 22 = 43), and
 * these tests assert 43. The panes come either from Beam's own triggers (two early firings after a
 * minute of processing time, then the on-time pane) or from Tidemark's data-driven trigger (early
 * firings when an element tagged {@code end} arrives): both give the same table.
 */
public class AccumulationTableTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String KEY = "score";
  private static final WindowSpec TEN_MINUTES = WindowSpec.parse("fixed:10m");

  /** A score and an optional tag that data-driven triggers look at. */
  record Points(long value, String tag) implements TriggerSpec.Tagged, Serializable {}

  /** Sums the points. */
  static final class SumPointsFn extends Combine.CombineFn<Points, long[], Long> {
    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] acc, Points p) {
      acc[0] += p.value();
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] out = new long[1];
      for (long[] a : accs) {
        out[0] += a[0];
      }
      return out;
    }

    @Override
    public Long extractOutput(long[] acc) {
      return acc[0];
    }
  }

  private static TimestampedValue<KV<String, Points>> points(long v, String time, String tag) {
    return TimestampedValue.of(KV.of(KEY, new Points(v, tag)), at(time));
  }

  /**
   * Panes [7], [3, 4] fire once processing time passes their first element plus one minute; then
   * [8].
   */
  private TestStream<KV<String, Points>> byProcessingTime() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Points.class)))
        .advanceWatermarkTo(at("12:00"))
        .addElements(points(7, "12:01", null))
        .advanceProcessingTime(Duration.standardMinutes(2)) // early pane [7]
        .addElements(points(3, "12:02", null), points(4, "12:03", null))
        .advanceProcessingTime(Duration.standardMinutes(2)) // early pane [3, 4]
        .addElements(points(8, "12:05", null))
        .advanceWatermarkTo(at("12:10")) // on-time pane [8]
        .advanceWatermarkToInfinity();
  }

  /** The same panes, cut by the data: 7 and 4 carry the tag "end". */
  private TestStream<KV<String, Points>> byTaggedElements() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Points.class)))
        .advanceWatermarkTo(at("12:00"))
        .addElements(points(7, "12:01", "end")) // early pane [7]
        .addElements(points(3, "12:02", null))
        .addElements(points(4, "12:03", "end")) // early pane [3, 4]
        .addElements(points(8, "12:05", null))
        .advanceWatermarkTo(at("12:10")) // on-time pane [8]
        .advanceWatermarkToInfinity();
  }

  private Panes<String, Points, Long> run(
      TestStream<KV<String, Points>> stream, String trigger, Accumulation mode) {
    WindowingPolicy policy =
        WindowingPolicy.of(TEN_MINUTES)
            .withTrigger(TriggerSpec.parse(trigger))
            .withAccumulation(mode);
    return p.apply(stream).apply(ComputePanes.of(policy, new SumPointsFn()));
  }

  /** Sums the values of all panes. */
  record TotalIs(long expected) implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    @Override
    public Void apply(Iterable<KV<String, Long>> panes) {
      long total = 0;
      for (KV<String, Long> kv : panes) {
        total += kv.getValue();
      }
      assertEquals(expected, total);
      return null;
    }
  }

  /** Sums additions minus retractions. */
  record NetIs(long expected)
      implements SerializableFunction<Iterable<KV<String, Change<Long>>>, Void> {
    @Override
    public Void apply(Iterable<KV<String, Change<Long>>> changes) {
      long net = 0;
      for (KV<String, Change<Long>> kv : changes) {
        net += kv.getValue().retraction() ? -kv.getValue().value() : kv.getValue().value();
      }
      assertEquals(expected, net);
      return null;
    }
  }

  /** Discarding: 7, 7, 8; the last value is 8 and the panes sum to 22. */
  @Test
  public void discardingPanesHoldOnlyTheirOwnElements() {
    Panes<String, Points, Long> panes =
        run(byProcessingTime(), "watermark(early=processing(1m))", Accumulation.DISCARDING);
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=8");
    PAssert.that(panes.panes()).satisfies(new TotalIs(22));
    p.run();
  }

  /**
   * Accumulating: 7, 14, 22; the last value is 22 and the panes sum to 43 (the slide's 51 is a
   * slip).
   */
  @Test
  public void accumulatingPanesHoldEverythingSoFar() {
    Panes<String, Points, Long> panes =
        run(byProcessingTime(), "watermark(early=processing(1m))", Accumulation.ACCUMULATING);
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=14",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=22");
    PAssert.that(panes.panes()).satisfies(new TotalIs(43));
    p.run();
  }

  /** Accumulating and retracting: 7; 14, -7; 22, -14; the change stream sums to 22. */
  @Test
  public void retractingPanesWithdrawThePreviousValue() {
    Panes<String, Points, Long> panes =
        run(byProcessingTime(), "watermark(early=processing(1m))", Accumulation.RETRACTING);
    PAssert.that(panes.changes().apply("FormatChanges", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=+7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=+14",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=-7",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=+22",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=-14");
    PAssert.that(panes.changes()).satisfies(new NetIs(22));
    p.run();
  }

  /** The data-driven trigger cuts the same panes from the data itself, in all three modes. */
  @Test
  public void dataDrivenTriggerCutsTheSamePanes() {
    Panes<String, Points, Long> panes =
        run(byTaggedElements(), "watermark(early=tag(end))", Accumulation.RETRACTING);
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=14",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=22");
    PAssert.that(panes.changes().apply("FormatChanges", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=+7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=+14",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=-7",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=+22",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=-14");
    PAssert.that(panes.changes()).satisfies(new NetIs(22));
    p.run();
  }

  /** Discarding with the data-driven trigger: 7, 7, 8. */
  @Test
  public void dataDrivenTriggerDiscarding() {
    Panes<String, Points, Long> panes =
        run(byTaggedElements(), "watermark(early=tag(end))", Accumulation.DISCARDING);
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 EARLY   index=1 onTime=-1            score=7",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       score=8");
    PAssert.that(panes.panes()).satisfies(new TotalIs(22));
    p.run();
  }
}
