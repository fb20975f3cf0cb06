package dev.tidemark.transforms.watermark;

import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.watermark.BoundedOutOfOrderness;
import dev.tidemark.core.watermark.WatermarkPolicy;
import org.apache.beam.sdk.transforms.splittabledofn.TimestampObservingWatermarkEstimator;
import org.joda.time.Instant;

/**
 * Beam's view of a {@link BoundedOutOfOrderness} heuristic: a {@link
 * TimestampObservingWatermarkEstimator} that observes the timestamp of every element the splittable
 * DoFn outputs, at the processing time read from its {@link ProcessingClock}, and answers the
 * runner with {@code max event time - bound}, advanced with processing time once the input has been
 * idle for the idle timeout (see {@link BoundedOutOfOrderness} for the exact rule and its caps).
 *
 * <p>Its state is the {@link WatermarkPolicy} itself, checkpointed with the residual restriction.
 */
public final class BoundedOutOfOrdernessWatermarkEstimator
    implements TimestampObservingWatermarkEstimator<WatermarkPolicy> {
  private final BoundedOutOfOrderness policy;
  private final ProcessingClock clock;

  /** Continues from {@code state} (a copy is kept), reading processing time from {@code clock}. */
  public BoundedOutOfOrdernessWatermarkEstimator(
      BoundedOutOfOrderness state, ProcessingClock clock) {
    this.policy = state.copy();
    this.clock = clock;
  }

  @Override
  public void observeTimestamp(Instant timestamp) {
    policy.observe(BeamInstants.toJava(timestamp), clock.now());
  }

  @Override
  public Instant currentWatermark() {
    return BeamInstants.toBeam(policy.currentWatermark(clock.now()));
  }

  @Override
  public WatermarkPolicy getState() {
    return policy.copy();
  }
}
