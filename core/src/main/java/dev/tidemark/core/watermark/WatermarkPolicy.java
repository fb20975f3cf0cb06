package dev.tidemark.core.watermark;

import java.io.Serializable;
import java.time.Instant;

/**
 * How a source turns what it has read (and what it knows about what it has not read yet) into a
 * watermark. Plain Java, no Beam: a policy is also the serializable state that a Beam watermark
 * estimator checkpoints, and can be reused by other sources (e.g. a Kafka timestamp policy).
 *
 * <p>Instants are {@link java.time.Instant}s; {@link #NO_WATERMARK} ({@code Instant.MIN}) means
 * "nothing known yet" and {@link #COMPLETE} ({@code Instant.MAX}) means "no more data ever".
 */
public sealed interface WatermarkPolicy extends Serializable
    permits PerfectWatermark, BoundedOutOfOrderness {

  /** The watermark before anything is known: every event time is ahead of it. */
  Instant NO_WATERMARK = Instant.MIN;

  /** The watermark of a source that will emit nothing more. */
  Instant COMPLETE = Instant.MAX;

  /** The source emitted an element with {@code eventTime}, at processing time {@code now}. */
  void observe(Instant eventTime, Instant now);

  /**
   * The source tells what it knows about the data it holds but has not emitted yet: no such element
   * has an event time before {@code earliestUnread} ({@link #COMPLETE} when it holds nothing more).
   * A perfect policy takes this as its watermark; a heuristic one uses it only to cap how far
   * idleness may advance the watermark.
   */
  void reportEarliestUnread(Instant earliestUnread);

  /** The watermark at processing time {@code now}; never smaller than a previous answer. */
  Instant currentWatermark(Instant now);

  /** An independent copy, e.g. to checkpoint as estimator state. */
  WatermarkPolicy copy();
}
