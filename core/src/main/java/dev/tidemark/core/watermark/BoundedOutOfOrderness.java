package dev.tidemark.core.watermark;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A heuristic watermark for inputs whose elements arrive at most {@code bound} out of order, with
 * an idle timeout. Plain Java (no Beam), serializable, not thread-safe (one instance per reader);
 * reused by Beam's watermark estimator in {@code transforms} and usable from any other source, e.g.
 * a Kafka timestamp policy.
 *
 * <p><b>While data flows</b> the watermark is the newest event time seen minus the bound: {@code
 * watermark = maxEventTime - bound}. An element older than that is late: this is a guess that
 * trades completeness for freshness, unlike a {@link PerfectWatermark}.
 *
 * <p><b>When the input is idle</b> (no element for at least {@code idleTimeout} of processing
 * time), that formula would hold the watermark back forever: windows ending after {@code
 * maxEventTime - bound} would never close. So after the timeout the watermark advances at the pace
 * of processing time, as if event time kept flowing while nothing arrived:
 *
 * <pre>{@code
 * idle     = now - lastArrival                      (processing time without any element)
 * advanced = maxEventTime - bound + (idle - idleTimeout)     when idle > idleTimeout
 * watermark = max(previous watermark, maxEventTime - bound, min(advanced, cap))
 * }</pre>
 *
 * <p>The advance is relative to the last element seen, not to the wall clock, so replaying old data
 * (event times years behind processing time) behaves the same as live data. The {@code cap} keeps
 * the advance from jumping past data still in flight:
 *
 * <ul>
 *   <li>if the source reported the earliest event time among the elements it holds unread ({@link
 *       #reportEarliestUnread}), the cap is that time: nothing in flight is ever put behind the
 *       watermark by idleness;
 *   <li>if the source reported that it holds nothing unread ({@link WatermarkPolicy#COMPLETE}),
 *       there is no cap: the watermark keeps following processing time;
 *   <li>if the source cannot tell (the default), the cap is the newest event time seen: idleness
 *       closes every window that ended before the last element, never more.
 * </ul>
 *
 * <p>Before the first element there is no event time to extrapolate from, so the watermark stays at
 * {@link WatermarkPolicy#NO_WATERMARK}. The watermark never moves backwards: an element arriving
 * after an idle advance with an event time behind it is late (the price of freshness).
 */
public final class BoundedOutOfOrderness implements WatermarkPolicy {
  private static final long serialVersionUID = 1L;

  /**
   * An idle timeout that is never reached: the watermark follows the data alone, for a caller that
   * handles idleness itself (the Kafka timestamp policy, whose idle partitions follow the others).
   */
  public static final Duration NO_IDLE_ADVANCE = ChronoUnit.FOREVER.getDuration();

  private final Duration bound;
  private final Duration idleTimeout;
  private Instant maxEventTime; // null until the first element
  private Instant lastArrival; // processing time of the last element; null until the first
  private Instant earliestUnread; // null = the source cannot tell
  private Instant watermark = NO_WATERMARK;

  private BoundedOutOfOrderness(Duration bound, Duration idleTimeout) {
    this.bound = bound;
    this.idleTimeout = idleTimeout;
  }

  /**
   * A heuristic watermark trailing the newest event time by {@code bound}, advanced with processing
   * time after {@code idleTimeout} without any element.
   */
  public static BoundedOutOfOrderness of(Duration bound, Duration idleTimeout) {
    Objects.requireNonNull(bound, "bound");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (bound.isNegative() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "bound and idle timeout must not be negative, got " + bound + " and " + idleTimeout);
    }
    return new BoundedOutOfOrderness(bound, idleTimeout);
  }

  /** The out-of-orderness bound. */
  public Duration bound() {
    return bound;
  }

  /** The processing time without elements after which the input counts as idle. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  @Override
  public void observe(Instant eventTime, Instant now) {
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(now, "now");
    if (maxEventTime == null || eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    if (lastArrival == null || now.isAfter(lastArrival)) {
      lastArrival = now;
    }
  }

  /**
   * The earliest event time among the elements the source holds but has not emitted ({@link
   * WatermarkPolicy#COMPLETE} if none): the cap of the idle advance. Later reports replace earlier
   * ones.
   */
  @Override
  public void reportEarliestUnread(Instant earliestUnread) {
    this.earliestUnread = Objects.requireNonNull(earliestUnread, "earliestUnread");
  }

  @Override
  public Instant currentWatermark(Instant now) {
    Objects.requireNonNull(now, "now");
    if (maxEventTime == null) {
      return watermark;
    }
    Instant candidate = maxEventTime.minus(bound);
    Duration idle = Duration.between(lastArrival, now);
    if (idle.compareTo(idleTimeout) > 0) {
      Instant cap = earliestUnread == null ? maxEventTime : earliestUnread;
      Instant advanced = candidate.plus(idle.minus(idleTimeout));
      if (advanced.isAfter(cap)) {
        advanced = cap;
      }
      if (advanced.isAfter(candidate)) {
        candidate = advanced;
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  @Override
  public BoundedOutOfOrderness copy() {
    BoundedOutOfOrderness copy = new BoundedOutOfOrderness(bound, idleTimeout);
    copy.maxEventTime = maxEventTime;
    copy.lastArrival = lastArrival;
    copy.earliestUnread = earliestUnread;
    copy.watermark = watermark;
    return copy;
  }

  @Override
  public String toString() {
    return "BoundedOutOfOrderness{bound="
        + bound
        + ", idleTimeout="
        + idleTimeout
        + ", maxEventTime="
        + maxEventTime
        + ", lastArrival="
        + lastArrival
        + ", earliestUnread="
        + earliestUnread
        + ", watermark="
        + watermark
        + '}';
  }
}
