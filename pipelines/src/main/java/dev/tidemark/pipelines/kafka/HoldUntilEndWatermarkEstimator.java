package dev.tidemark.pipelines.kafka;

import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The watermark of a bounded replay: held at the beginning of time until the partition's range is
 * read to its stop offset (then the runner moves it to the end of time). A replay thus has batch
 * semantics: no event is ever late, every window fires once with everything, and two replays of the
 * same range give the same result whatever the timing — what a canary comparison of two versions
 * and a batch recomputation need. The cost is batch-like state: windows stay open until the end of
 * the range.
 */
final class HoldUntilEndWatermarkEstimator implements WatermarkEstimator<Instant> {

  @Override
  public Instant currentWatermark() {
    return BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  @Override
  public Instant getState() {
    return BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  /** Creates the estimator (it keeps no state). */
  static final class CreateFn
      implements SerializableFunction<Instant, WatermarkEstimator<Instant>> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkEstimator<Instant> apply(Instant state) {
      return new HoldUntilEndWatermarkEstimator();
    }
  }
}
