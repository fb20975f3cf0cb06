package dev.tidemark.transforms.windowing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.apache.beam.sdk.transforms.windowing.AfterEach;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** Trigger specs: their text form, and that they build exactly Beam's triggers and strategies. */
public class TriggerSpecTest {

  /** Every construct's text form parses and prints back unchanged. */
  @Test
  public void textFormRoundTrips() {
    String[] forms = {
      "default",
      "never",
      "watermark",
      "watermark(early=processing(1m), late=count(1))",
      "watermark(late=count(1))",
      "count(3)",
      "processing(2m, aligned=2026-01-01T12:05:00.000Z)",
      "tag(checkout)",
      "repeat(first(count(2), processing(1m)))",
      "all(count(2), processing(1m))",
      "sequence(count(2), repeat(count(1)))",
      "repeat(count(2)).until(watermark)",
      "watermark(early=tag(checkout))",
    };
    for (String form : forms) {
      assertEquals(form, TriggerSpec.parse(form).toString());
    }
  }

  /** Specs build the same triggers as Beam's own builders. */
  @Test
  public void specsBuildBeamsTriggers() {
    assertEquals(
        AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(
                AfterProcessingTime.pastFirstElementInPane()
                    .plusDelayOf(Duration.standardMinutes(1)))
            .withLateFirings(AfterPane.elementCountAtLeast(1))
            .toString(),
        TriggerSpec.parse("watermark(early=processing(1m), late=count(1))").toBeam().toString());
    assertEquals(
        Repeatedly.forever(
            AfterFirst.of(
                AfterPane.elementCountAtLeast(2),
                AfterProcessingTime.pastFirstElementInPane()
                    .plusDelayOf(Duration.standardMinutes(1)))),
        TriggerSpec.parse("repeat(first(count(2), processing(1m)))").toBeam());
    assertEquals(
        AfterEach.inOrder(
            AfterPane.elementCountAtLeast(2), Repeatedly.forever(AfterPane.elementCountAtLeast(1))),
        TriggerSpec.parse("sequence(count(2), repeat(count(1)))").toBeam());
    assertEquals(
        AfterProcessingTime.pastFirstElementInPane()
            .alignedTo(Duration.standardMinutes(2), Instant.parse("2026-01-01T12:05:00Z")),
        TriggerSpec.parse("processing(2m, aligned=2026-01-01T12:05:00Z)").toBeam());
  }

  /** A policy's windowing strategy is the one Beam's Window transform produces. */
  @Test
  public void policyStrategyEqualsBeamWindowStrategy() {
    WindowingPolicy policy =
        WindowingPolicy.of(WindowSpec.parse("fixed:2m"))
            .withTrigger(TriggerSpec.parse("watermark(early=processing(1m), late=count(1))"))
            .withAccumulation(Accumulation.ACCUMULATING)
            .withAllowedLateness(Duration.standardMinutes(2))
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
            .withClosingBehavior(Window.ClosingBehavior.FIRE_ALWAYS);
    WindowingStrategy<?, ?> beams =
        Window.<Object>into(FixedWindows.of(Duration.standardMinutes(2)))
            .triggering(
                AfterWatermark.pastEndOfWindow()
                    .withEarlyFirings(
                        AfterProcessingTime.pastFirstElementInPane()
                            .plusDelayOf(Duration.standardMinutes(1)))
                    .withLateFirings(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(Duration.standardMinutes(2), Window.ClosingBehavior.FIRE_ALWAYS)
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
            .accumulatingFiredPanes()
            .getOutputStrategyInternal(WindowingStrategy.globalDefault());
    WindowingStrategy<?, ?> ours = policy.toWindowingStrategy();
    assertEquals(beams.getWindowFn(), ours.getWindowFn());
    assertEquals(beams.getTrigger().toString(), ours.getTrigger().toString());
    assertEquals(beams.getMode(), ours.getMode());
    assertEquals(beams.getAllowedLateness(), ours.getAllowedLateness());
    assertEquals(beams.getClosingBehavior(), ours.getClosingBehavior());
    assertEquals(beams.getOnTimeBehavior(), ours.getOnTimeBehavior());
    assertEquals(beams.getTimestampCombiner(), ours.getTimestampCombiner());
  }

  /** The data-driven trigger is flagged as such, alone or nested, and has no Beam trigger. */
  @Test
  public void dataDrivenTriggersAreFlaggedAndHaveNoBeamTrigger() {
    assertTrue(TriggerSpec.parse("watermark(early=tag(checkout))").isDataDriven());
    assertTrue(TriggerSpec.parse("repeat(first(count(3), tag(checkout)))").isDataDriven());
    assertFalse(TriggerSpec.parse("repeat(count(3))").isDataDriven());
    assertThrows(UnsupportedOperationException.class, () -> TriggerSpec.parse("tag(x)").toBeam());
  }

  /** Malformed text is refused with the position and what was expected. */
  @Test
  public void malformedTriggersAreRefusedWithAPosition() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> TriggerSpec.parse("count(three)"))
            .getMessage(),
        containsString("whole number"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> TriggerSpec.parse("after(1m)"))
            .getMessage(),
        containsString("unknown trigger 'after'"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> TriggerSpec.parse("count(1) x"))
            .getMessage(),
        containsString("at character"));
  }
}
