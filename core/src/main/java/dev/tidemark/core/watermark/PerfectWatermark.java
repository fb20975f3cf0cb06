package dev.tidemark.core.watermark;

import java.time.Instant;
import java.util.Objects;

/**
 * A perfect watermark: the source knows that its log is complete up to a point in event time (the
 * log is sorted by event time, carries completeness markers, or is known in full) and reports that
 * point; the watermark is exactly the point. Since the source only reports what it knows, no
 * element it emits afterwards is ever behind the watermark: there is no late data, everything is
 * early or on time. The price is freshness: the watermark moves only as fast as that knowledge.
 *
 * <p>Contrast {@link BoundedOutOfOrderness}, which guesses from what it has seen and may leave
 * elements behind. Plain Java, serializable, not thread-safe (one instance per reader).
 */
public final class PerfectWatermark implements WatermarkPolicy {
  private static final long serialVersionUID = 1L;

  private Instant completeUpTo;

  private PerfectWatermark(Instant completeUpTo) {
    this.completeUpTo = completeUpTo;
  }

  /** A perfect watermark that knows nothing yet (watermark {@link #NO_WATERMARK}). */
  public static PerfectWatermark create() {
    return new PerfectWatermark(NO_WATERMARK);
  }

  /** A perfect watermark that already knows the log complete up to {@code completeUpTo}. */
  public static PerfectWatermark completeUpTo(Instant completeUpTo) {
    return new PerfectWatermark(Objects.requireNonNull(completeUpTo, "completeUpTo"));
  }

  /** Observing an element changes nothing: the perfect watermark follows knowledge, not data. */
  @Override
  public void observe(Instant eventTime, Instant now) {
    Objects.requireNonNull(eventTime, "eventTime");
  }

  /**
   * The source's completeness point: every element not yet emitted has an event time at or after
   * {@code earliestUnread}. Monotonic: an earlier point than already known is ignored.
   */
  @Override
  public void reportEarliestUnread(Instant earliestUnread) {
    Objects.requireNonNull(earliestUnread, "earliestUnread");
    if (earliestUnread.isAfter(completeUpTo)) {
      completeUpTo = earliestUnread;
    }
  }

  /** The last reported completeness point; processing time plays no role. */
  @Override
  public Instant currentWatermark(Instant now) {
    return completeUpTo;
  }

  @Override
  public PerfectWatermark copy() {
    return new PerfectWatermark(completeUpTo);
  }

  @Override
  public String toString() {
    return "PerfectWatermark{completeUpTo=" + completeUpTo + '}';
  }
}
