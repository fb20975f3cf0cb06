package dev.tidemark.transforms.watermark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.watermark.BoundedOutOfOrderness;
import dev.tidemark.core.watermark.PerfectWatermark;
import dev.tidemark.core.watermark.WatermarkPolicy;
import java.time.Duration;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Specification of the Beam adapters {@link BoundedOutOfOrdernessWatermarkEstimator} and {@link
 * PerfectWatermarkEstimator}, driven directly as the runner drives them: observe or set, ask the
 * watermark, checkpoint the state through its coder, continue from the state.
 */
@RunWith(JUnit4.class)
public class WatermarkEstimatorsTest {

  private static Instant at(String hhmm) {
    return Instant.parse("2026-11-27T" + hhmm + "Z");
  }

  private static ProcessingClock clockAt(String hhmm) {
    return ProcessingClock.fixedAt(java.time.Instant.parse("2026-11-27T" + hhmm + "Z"));
  }

  private static WatermarkPolicy checkpoint(WatermarkPolicy state) throws Exception {
    SerializableCoder<WatermarkPolicy> coder = SerializableCoder.of(WatermarkPolicy.class);
    return CoderUtils.clone(coder, state);
  }

  /** The heuristic estimator observes output timestamps and trails the newest one by the bound. */
  @Test
  public void heuristicEstimatorTrailsObservedTimestampsByTheBound() {
    BoundedOutOfOrdernessWatermarkEstimator estimator =
        new BoundedOutOfOrdernessWatermarkEstimator(
            BoundedOutOfOrderness.of(Duration.ofMinutes(1), Duration.ofMinutes(5)),
            clockAt("15:00:00"));

    assertThat(estimator.currentWatermark(), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    estimator.observeTimestamp(at("12:06:00"));
    estimator.observeTimestamp(at("12:04:00"));

    assertThat(estimator.currentWatermark(), is(at("12:05:00")));
  }

  /**
   * The state checkpointed at 15:00 carries the arrival time: an estimator resumed from it ten
   * minutes later (an idle source) has advanced to the newest event seen.
   */
  @Test
  public void heuristicEstimatorResumedAfterIdlenessHasAdvanced() throws Exception {
    BoundedOutOfOrdernessWatermarkEstimator before =
        new BoundedOutOfOrdernessWatermarkEstimator(
            BoundedOutOfOrderness.of(Duration.ofMinutes(1), Duration.ofMinutes(5)),
            clockAt("15:00:00"));
    before.observeTimestamp(at("12:06:00"));
    WatermarkPolicy state = checkpoint(before.getState());

    BoundedOutOfOrdernessWatermarkEstimator after =
        new BoundedOutOfOrdernessWatermarkEstimator(
            (BoundedOutOfOrderness) state, clockAt("15:10:00"));

    assertThat(before.currentWatermark(), is(at("12:05:00")));
    assertThat(after.currentWatermark(), is(at("12:06:00")));
  }

  /** The perfect estimator's watermark is what the source sets, and it survives a checkpoint. */
  @Test
  public void perfectEstimatorIsWhatTheSourceReports() throws Exception {
    PerfectWatermarkEstimator estimator = new PerfectWatermarkEstimator(PerfectWatermark.create());
    assertThat(estimator.currentWatermark(), is(BoundedWindow.TIMESTAMP_MIN_VALUE));

    estimator.setWatermark(at("12:04:00"));
    PerfectWatermarkEstimator resumed =
        new PerfectWatermarkEstimator((PerfectWatermark) checkpoint(estimator.getState()));

    assertThat(resumed.currentWatermark(), is(at("12:04:00")));
  }

  /** A complete log maps to the end of Beam time, not past it. */
  @Test
  public void completeLogIsTheEndOfBeamTime() {
    PerfectWatermarkEstimator estimator =
        new PerfectWatermarkEstimator(PerfectWatermark.completeUpTo(WatermarkPolicy.COMPLETE));

    assertThat(estimator.currentWatermark(), is(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }
}
