package dev.tidemark.transforms.panes;

import static dev.tidemark.testing.Clock.at;

import dev.tidemark.testing.FormatPanes;
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
import org.junit.Rule;
import org.junit.Test;

/**
 * The deck's cats, counted in the three kinds of window. One stream satisfies every statement of
 * the slides: Felix at 12:04:30, Tom at 12:09, Garfield at 12:15.
 *
 * <ul>
 *   <li>Sliding windows of 10 minutes every 5: "at 12:10 there are not 3 cats but 2 in the window
 *       12:00–12:10 and 1 in 12:05–12:15" — Tom (12:09) is in both windows, so adding the window
 *       counts (2 + 1 = 3) counts him twice: only 2 cats exist by 12:10.
 *   <li>Session windows with a 5-minute gap: the sessions close at 12:09 + 5 min = 12:14 (Felix and
 *       Tom, merged) and at 12:15 + 5 min = 12:20 (Garfield).
 * </ul>
 */
public class CatsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String CATS = "cats";

  /** Felix, Tom and Garfield, each counted once, arriving in event-time order. */
  private TestStream<KV<String, Long>> cats() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(at("12:00"))
        .addElements(
            TimestampedValue.of(KV.of(CATS, 1L), at("12:04:30")), // Felix
            TimestampedValue.of(KV.of(CATS, 1L), at("12:09:00")), // Tom
            TimestampedValue.of(KV.of(CATS, 1L), at("12:15:00"))) // Garfield
        .advanceWatermarkToInfinity();
  }

  private PAssert.IterableAssert<String> countIn(String window) {
    Panes<String, Long, Long> counted =
        p.apply(cats())
            .apply(ComputePanes.of(WindowingPolicy.of(WindowSpec.parse(window)), Sum.ofLongs()));
    return PAssert.that(counted.panes().apply(FormatPanes.asLines()));
  }

  /** Tumbling 5-minute windows: each cat in exactly one window, one on-time pane each. */
  @Test
  public void tumblingWindowsCountEachCatOnce() {
    countIn("fixed:5m")
        .containsInAnyOrder(
            "[12:00:00, 12:05:00) @12:04:59.999 ON_TIME index=0 onTime=0  first+last cats=1",
            "[12:05:00, 12:10:00) @12:09:59.999 ON_TIME index=0 onTime=0  first+last cats=1",
            "[12:15:00, 12:20:00) @12:19:59.999 ON_TIME index=0 onTime=0  first+last cats=1");
    p.run();
  }

  /** Sliding windows: 2 cats in 12:00–12:10 and 1 in 12:05–12:15, yet only 2 cats by 12:10. */
  @Test
  public void slidingWindowsCountTomTwice() {
    countIn("sliding:10m/5m")
        .containsInAnyOrder(
            "[11:55:00, 12:05:00) @12:04:59.999 ON_TIME index=0 onTime=0  first+last cats=1",
            "[12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=0 onTime=0  first+last cats=2",
            "[12:05:00, 12:15:00) @12:14:59.999 ON_TIME index=0 onTime=0  first+last cats=1",
            "[12:10:00, 12:20:00) @12:19:59.999 ON_TIME index=0 onTime=0  first+last cats=1",
            "[12:15:00, 12:25:00) @12:24:59.999 ON_TIME index=0 onTime=0  first+last cats=1");
    p.run();
  }

  /** Sessions with a 5-minute gap close at 12:14 and at 12:20. */
  @Test
  public void sessionsCloseFiveMinutesAfterTheLastCat() {
    countIn("session:5m")
        .containsInAnyOrder(
            "[12:04:30, 12:14:00) @12:13:59.999 ON_TIME index=0 onTime=0  first+last cats=2",
            "[12:15:00, 12:20:00) @12:19:59.999 ON_TIME index=0 onTime=0  first+last cats=1");
    p.run();
  }
}
