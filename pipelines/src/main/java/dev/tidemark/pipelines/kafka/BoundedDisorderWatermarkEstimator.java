package dev.tidemark.pipelines.kafka;

import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.splittabledofn.TimestampObservingWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The bounded-out-of-orderness watermark for KafkaIO's splittable reader (one per partition
 * restriction): {@code max event time observed - maxDelay}. Used by bounded replays, where every
 * partition restriction ends at a stop offset, so idle partitions do not arise: an empty partition
 * is not read at all and a finished one stops holding the watermark.
 */
final class BoundedDisorderWatermarkEstimator
    implements TimestampObservingWatermarkEstimator<Instant> {

  private final Duration maxDelay;
  private Instant maxEventTime;

  BoundedDisorderWatermarkEstimator(Instant state, Duration maxDelay) {
    this.maxEventTime = state;
    this.maxDelay = maxDelay;
  }

  @Override
  public void observeTimestamp(Instant timestamp) {
    if (timestamp.isAfter(maxEventTime)) {
      maxEventTime = timestamp;
    }
  }

  @Override
  public Instant currentWatermark() {
    return maxEventTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
        ? maxEventTime
        : maxEventTime.minus(maxDelay);
  }

  @Override
  public Instant getState() {
    return maxEventTime;
  }

  /** Creates estimators from their saved state (the max event time observed). */
  static final class CreateFn
      implements SerializableFunction<Instant, WatermarkEstimator<Instant>> {
    private static final long serialVersionUID = 1L;
    private final Duration maxDelay;

    CreateFn(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    @Override
    public WatermarkEstimator<Instant> apply(Instant state) {
      return new BoundedDisorderWatermarkEstimator(state, maxDelay);
    }
  }
}
