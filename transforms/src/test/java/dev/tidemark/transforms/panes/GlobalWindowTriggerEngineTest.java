package dev.tidemark.transforms.panes;

import static dev.tidemark.testing.Clock.at;

import dev.tidemark.testing.FormatPanes;
import dev.tidemark.transforms.panes.AccumulationTableTest.Points;
import dev.tidemark.transforms.panes.AccumulationTableTest.SumPointsFn;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.Rule;
import org.junit.Test;

/**
 * The data-driven trigger in the global window: a pane per checkout, and the rest of the cart in
 * the final pane when the input ends. The global window expires when the watermark passes its end;
 * a regression there makes the engine's cleanup timer fire forever, which the timeout catches.
 */
public class GlobalWindowTriggerEngineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static TimestampedValue<KV<String, Points>> item(long price, String time, String tag) {
    return TimestampedValue.of(KV.of("ann", new Points(price, tag)), at(time));
  }

  /** Ann's cart: 20 and 15 paid at the checkout, 7 left when the input ends. */
  @Test(timeout = 120_000)
  public void checkoutFiresAPaneAndTheEndOfInputClosesTheGlobalWindow() {
    TestStream<KV<String, Points>> cart =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Points.class)))
            .advanceWatermarkTo(at("12:00"))
            .addElements(item(20, "12:01", null))
            .addElements(item(15, "12:02", "checkout")) // pane: 35
            .addElements(item(7, "12:03", null))
            .advanceWatermarkToInfinity(); // final pane: 7
    WindowingPolicy policy =
        WindowingPolicy.of(WindowSpec.global())
            .withTrigger(TriggerSpec.parse("repeat(tag(checkout))"))
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY);
    Panes<String, Points, Long> panes =
        p.apply(cart).apply(ComputePanes.of(policy, new SumPointsFn()));
    PAssert.that(panes.panes().apply("FormatPanes", FormatPanes.asLines()))
        .containsInAnyOrder(
            "global @+inf EARLY   index=0 onTime=-1 first      ann=35",
            "global @+inf ON_TIME index=1 onTime=0  last       ann=7");
    p.run();
  }
}
