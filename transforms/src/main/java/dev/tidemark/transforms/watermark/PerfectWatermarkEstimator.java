package dev.tidemark.transforms.watermark;

import dev.tidemark.core.watermark.PerfectWatermark;
import dev.tidemark.core.watermark.WatermarkPolicy;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.joda.time.Instant;

/**
 * Beam's view of a {@link PerfectWatermark}: a {@link ManualWatermarkEstimator} whose {@link
 * #setWatermark} is the source reporting its completeness point (the earliest event time it still
 * holds unread). The watermark is exactly that point, so no element emitted afterwards is late.
 *
 * <p>Its state is the {@link WatermarkPolicy} itself, so that one splittable DoFn can switch
 * between this and {@link BoundedOutOfOrdernessWatermarkEstimator}.
 */
public final class PerfectWatermarkEstimator implements ManualWatermarkEstimator<WatermarkPolicy> {
  private final PerfectWatermark policy;

  /** Continues from {@code state} (a copy is kept, the argument is not modified). */
  public PerfectWatermarkEstimator(PerfectWatermark state) {
    this.policy = state.copy();
  }

  /** The source reports that it holds nothing unread with an event time before {@code point}. */
  @Override
  public void setWatermark(Instant point) {
    policy.reportEarliestUnread(BeamInstants.toJava(point));
  }

  /** The completeness point last reported; processing time plays no role, hence any instant. */
  @Override
  public Instant currentWatermark() {
    return BeamInstants.toBeam(policy.currentWatermark(java.time.Instant.EPOCH));
  }

  @Override
  public WatermarkPolicy getState() {
    return policy.copy();
  }
}
