package dev.tidemark.transforms.panes;

import static org.junit.Assert.assertEquals;

import dev.tidemark.testing.Clock;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.SessionRetractionsTest.Click;
import dev.tidemark.transforms.panes.SessionRetractionsTest.SumClicksFn;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The invariant of accumulating and retracting mode, checked on random streams: per key, the sum of
 * added values minus retracted values equals the sum of the values that reached the final windows —
 * which is every input value of the key except the captured too-late ones. So per key, net change +
 * captured = input, with the input sums known to the test, not computed by Tidemark. Streams have
 * 12 keys and 120 events, out-of-order event times, early firings, merging sessions, late data
 * within the allowed lateness and too-late data.
 */
public class RetractionInvariantTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final int KEYS = 12;
  private static final int EVENTS = 120;

  /** A random stream, and the sum of input values per key. */
  private static TestStream<KV<String, Click>> randomStream(
      long seed, Map<String, Long> inputSums) {
    Random rnd = new Random(seed);
    TestStream.Builder<KV<String, Click>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Click.class)));
    Instant watermark = Clock.at("12:00");
    b = b.advanceWatermarkTo(watermark);
    for (int i = 0; i < EVENTS; i++) {
      String key = "k" + rnd.nextInt(KEYS);
      long value = 1 + rnd.nextInt(9);
      // Mostly ahead of the watermark, sometimes behind it (late), sometimes far behind (too late).
      long offsetSeconds = rnd.nextInt(10) < 8 ? rnd.nextInt(300) : -rnd.nextInt(400);
      Instant time = watermark.plus(Duration.standardSeconds(offsetSeconds));
      String tag = rnd.nextInt(4) == 0 ? "flush" : null;
      b = b.addElements(TimestampedValue.of(KV.of(key, new Click(value, tag)), time));
      inputSums.merge(key, value, Long::sum);
      int move = rnd.nextInt(10);
      if (move == 0) {
        b = b.advanceProcessingTime(Duration.standardMinutes(2));
      } else if (move == 1) {
        watermark = watermark.plus(Duration.standardSeconds(30 + rnd.nextInt(90)));
        b = b.advanceWatermarkTo(watermark);
      }
    }
    return b.advanceWatermarkToInfinity();
  }

  private void checkInvariant(String window, String trigger, long seed) {
    Map<String, Long> inputSums = new HashMap<>();
    TestStream<KV<String, Click>> stream = randomStream(seed, inputSums);
    WindowingPolicy policy =
        WindowingPolicy.of(WindowSpec.parse(window))
            .withTrigger(TriggerSpec.parse(trigger))
            .withAccumulation(Accumulation.RETRACTING)
            .withAllowedLateness(Duration.standardMinutes(2));
    Panes<String, Click, Long> panes =
        p.apply(stream).apply(ComputePanes.of(policy, new SumClicksFn()));
    PCollection<KV<String, Long>> netChanges =
        panes
            .changes()
            .apply("SignChanges", MapElements.via(new SignedChangeFn()))
            .apply("ChangesGlobally", inGlobalWindow());
    PCollection<KV<String, Long>> captured =
        panes
            .late()
            .apply("CapturedValues", MapElements.via(new CapturedValueFn()))
            .apply("CapturedGlobally", inGlobalWindow());
    PAssert.that(
            PCollectionList.of(netChanges)
                .and(captured)
                .apply("NetPlusCaptured", Flatten.pCollections()))
        .satisfies(new SumsPerKeyAre(inputSums));
    p.run();
  }

  /**
   * Re-windows into the global window with Beam's default trigger, so that both outputs flatten.
   */
  private static Window<KV<String, Long>> inGlobalWindow() {
    return Window.<KV<String, Long>>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** Fixed windows on Beam's triggers (early by processing time, late per element). */
  @Test
  public void fixedWindowsOnBeamTriggers() {
    checkInvariant("fixed:2m", "watermark(early=processing(1m), late=count(1))", 1);
  }

  /** Merging sessions on Beam's triggers. */
  @Test
  public void sessionsOnBeamTriggers() {
    checkInvariant("session:1m", "watermark(early=processing(1m), late=count(1))", 2);
  }

  /** Fixed windows on the data-driven trigger engine. */
  @Test
  public void fixedWindowsOnTheTriggerEngine() {
    checkInvariant("fixed:2m", "watermark(early=tag(flush), late=count(1))", 3);
  }

  /** Merging sessions on the data-driven trigger engine. */
  @Test
  public void sessionsOnTheTriggerEngine() {
    checkInvariant("session:1m", "watermark(early=first(tag(flush), count(3)), late=count(1))", 4);
  }

  /** +value for an addition, -value for a retraction. */
  static final class SignedChangeFn
      extends SimpleFunction<KV<String, Change<Long>>, KV<String, Long>> {
    @Override
    public KV<String, Long> apply(KV<String, Change<Long>> c) {
      long v = c.getValue().value();
      return KV.of(c.getKey(), c.getValue().retraction() ? -v : v);
    }
  }

  /** The value of a captured element. */
  static final class CapturedValueFn
      extends SimpleFunction<LateElement<KV<String, Click>>, KV<String, Long>> {
    @Override
    public KV<String, Long> apply(LateElement<KV<String, Click>> late) {
      return KV.of(late.element().getKey(), late.element().getValue().n());
    }
  }

  /** Per key, the values add up to the input sums. */
  record SumsPerKeyAre(Map<String, Long> expected)
      implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    SumsPerKeyAre {
      expected = new HashMap<>(expected);
    }

    @Override
    public Void apply(Iterable<KV<String, Long>> values) {
      Map<String, Long> actual = new HashMap<>();
      for (KV<String, Long> kv : values) {
        actual.merge(kv.getKey(), kv.getValue(), Long::sum);
      }
      actual.values().removeIf(v -> v == 0);
      assertEquals(expected, actual);
      return null;
    }
  }
}
