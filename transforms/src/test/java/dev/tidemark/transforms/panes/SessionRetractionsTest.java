package dev.tidemark.transforms.panes;

import static dev.tidemark.testing.Clock.at;

import dev.tidemark.testing.FormatPanes;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Sessions with early firings and retractions: two sessions of user "ada" fire early, then an event
 * between them merges them into one session, whose first pane withdraws the values of both sessions
 * it replaced. Gap two minutes; early firings one minute of processing time after a pane's first
 * element (in the data-driven variant: when a click tagged "flush" arrives). As in Beam, the merged
 * session is a new window: its pane numbering starts again at 0.
 */
public class SessionRetractionsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static TimestampedValue<KV<String, Long>> click(long n, String time) {
    return TimestampedValue.of(KV.of("ada", n), at(time));
  }

  private static TestStream<KV<String, Long>> clicks() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(at("12:00"))
        .addElements(click(1, "12:00:00")) // session [12:00, 12:02)
        .advanceProcessingTime(Duration.standardMinutes(2)) // early pane: 1
        .addElements(click(2, "12:03:00")) // session [12:03, 12:05)
        .advanceProcessingTime(Duration.standardMinutes(2)) // early pane: 2
        .addElements(click(3, "12:01:30")) // [12:01:30, 12:03:30) bridges both: [12:00, 12:05)
        .advanceProcessingTime(Duration.standardMinutes(2)) // early pane of the merged session: 6
        .advanceWatermarkToInfinity(); // on-time pane: 6
  }

  /** A click count, tagged "flush" when it should close a pane (for the data-driven variant). */
  record Click(long n, String tag) implements TriggerSpec.Tagged, java.io.Serializable {}

  private Panes<String, Long, Long> sessions(String trigger) {
    WindowingPolicy policy =
        WindowingPolicy.of(WindowSpec.parse("session:2m"))
            .withTrigger(TriggerSpec.parse(trigger))
            .withAccumulation(Accumulation.RETRACTING);
    return p.apply(clicks()).apply(ComputePanes.of(policy, Sum.ofLongs()));
  }

  /**
   * The merged session's first pane adds 6 and retracts 1 and 2; its on-time pane adds 6 and
   * retracts 6: the change stream nets to 6, the final value of the only final session.
   */
  @Test
  public void mergedSessionRetractsTheSessionsItReplaced() {
    Panes<String, Long, Long> panes = sessions("watermark(early=processing(1m))");
    PAssert.that(panes.changes().apply("FormatChanges", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:02:00) @12:01:59.999 EARLY   index=0 onTime=-1 first      ada=+1",
            "[12:03:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=+2",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=+6",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=-1",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=-2",
            "[12:00:00, 12:05:00) @12:04:59.999 ON_TIME index=1 onTime=0  last       ada=+6",
            "[12:00:00, 12:05:00) @12:04:59.999 ON_TIME index=1 onTime=0  last       ada=-6");
    p.run();
  }

  /**
   * Each change names the window of the pane it adds or withdraws: the merged session's -1 and -2
   * withdraw the results of [12:00, 12:02) and [12:03, 12:05), the sessions merged away, though
   * they are emitted in [12:00, 12:05); no consumer has to guess which result a value retracts.
   */
  @Test
  public void retractionsNameTheWindowTheyWithdraw() {
    Panes<String, Long, Long> panes = sessions("watermark(early=processing(1m))");
    PAssert.that(
            panes
                .changes()
                .apply(
                    "ChangeWindows",
                    org.apache.beam.sdk.transforms.MapElements.into(
                            org.apache.beam.sdk.values.TypeDescriptors.strings())
                        .via(
                            (KV<String, Change<Long>> c) ->
                                c.getValue() + " of " + c.getValue().window())))
        .containsInAnyOrder(
            "+1 of [2026-01-01T12:00:00.000Z..2026-01-01T12:02:00.000Z)",
            "+2 of [2026-01-01T12:03:00.000Z..2026-01-01T12:05:00.000Z)",
            "+6 of [2026-01-01T12:00:00.000Z..2026-01-01T12:05:00.000Z)",
            "-1 of [2026-01-01T12:00:00.000Z..2026-01-01T12:02:00.000Z)",
            "-2 of [2026-01-01T12:03:00.000Z..2026-01-01T12:05:00.000Z)",
            "+6 of [2026-01-01T12:00:00.000Z..2026-01-01T12:05:00.000Z)",
            "-6 of [2026-01-01T12:00:00.000Z..2026-01-01T12:05:00.000Z)");
    p.run();
  }

  /** Sums click counts. */
  static final class SumClicksFn
      extends org.apache.beam.sdk.transforms.Combine.CombineFn<Click, long[], Long> {
    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] acc, Click c) {
      acc[0] += c.n();
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

  /** The same story on Tidemark's trigger engine, with panes cut by clicks tagged "flush". */
  @Test
  public void triggerEngineMergesSessionsAndRetractsTheSame() {
    TestStream<KV<String, Click>> flushes =
        TestStream.create(
                KvCoder.of(
                    StringUtf8Coder.of(),
                    org.apache.beam.sdk.coders.SerializableCoder.of(Click.class)))
            .advanceWatermarkTo(at("12:00"))
            .addElements(TimestampedValue.of(KV.of("ada", new Click(1, "flush")), at("12:00:00")))
            .addElements(TimestampedValue.of(KV.of("ada", new Click(2, "flush")), at("12:03:00")))
            .addElements(TimestampedValue.of(KV.of("ada", new Click(3, "flush")), at("12:01:30")))
            .advanceWatermarkToInfinity();
    WindowingPolicy policy =
        WindowingPolicy.of(WindowSpec.parse("session:2m"))
            .withTrigger(TriggerSpec.parse("watermark(early=tag(flush))"))
            .withAccumulation(Accumulation.RETRACTING);
    Panes<String, Click, Long> panes =
        p.apply(flushes).apply(ComputePanes.of(policy, new SumClicksFn()));
    PAssert.that(panes.changes().apply("FormatChanges", FormatPanes.asLines()))
        .containsInAnyOrder(
            "[12:00:00, 12:02:00) @12:01:59.999 EARLY   index=0 onTime=-1 first      ada=+1",
            "[12:03:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=+2",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=+6",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=-1",
            "[12:00:00, 12:05:00) @12:04:59.999 EARLY   index=0 onTime=-1 first      ada=-2",
            "[12:00:00, 12:05:00) @12:04:59.999 ON_TIME index=1 onTime=0  last       ada=+6",
            "[12:00:00, 12:05:00) @12:04:59.999 ON_TIME index=1 onTime=0  last       ada=-6");
    p.run();
  }
}
