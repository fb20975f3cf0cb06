package dev.tidemark.core.watermark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Specification of the {@link BoundedOutOfOrderness} heuristic, plain Java: scripts of elements
 * (event time, arrival in processing time) and the watermark after each step.
 *
 * <p>Event times are on the morning of the day ({@code ev("12:06")}); processing times are in the
 * afternoon ({@code pt("15:00")}): the heuristic must not depend on the two clocks being aligned,
 * as when old data is replayed.
 */
@RunWith(JUnit4.class)
public class BoundedOutOfOrdernessTest {

  private static final Duration ONE_MINUTE_BOUND = Duration.ofMinutes(1);
  private static final Duration FIVE_MINUTES_IDLE = Duration.ofMinutes(5);

  /** An event time on the test day, {@code "HH:mm"} or {@code "HH:mm:ss"}. */
  private static Instant ev(String time) {
    return Instant.parse("2026-11-27T" + (time.length() == 5 ? time + ":00" : time) + "Z");
  }

  /** A processing time on the test day (same notation, afternoon by convention). */
  private static Instant pt(String time) {
    return ev(time);
  }

  private static BoundedOutOfOrderness heuristic() {
    return BoundedOutOfOrderness.of(ONE_MINUTE_BOUND, FIVE_MINUTES_IDLE);
  }

  /** While elements flow, the watermark is the newest event time seen minus the bound. */
  @Test
  public void watermarkTrailsTheNewestEventTimeByTheBound() {
    BoundedOutOfOrderness h = heuristic();
    List<Instant> watermarks = new ArrayList<>();

    h.observe(ev("12:00:30"), pt("15:00:00"));
    watermarks.add(h.currentWatermark(pt("15:00:00")));
    h.observe(ev("12:02"), pt("15:00:01"));
    watermarks.add(h.currentWatermark(pt("15:00:01")));
    h.observe(ev("12:06"), pt("15:00:02"));
    watermarks.add(h.currentWatermark(pt("15:00:02")));

    assertThat(watermarks, contains(ev("11:59:30"), ev("12:01"), ev("12:05")));
  }

  /** An element older than the newest one seen (out of order) never moves the watermark back. */
  @Test
  public void outOfOrderElementNeverMovesTheWatermarkBack() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00:00"));
    h.observe(ev("12:04"), pt("15:00:01"));

    assertThat(h.currentWatermark(pt("15:00:01")), is(ev("12:05")));
  }

  /** Before the first element there is nothing to extrapolate from: no watermark, however long. */
  @Test
  public void noWatermarkBeforeTheFirstElement() {
    BoundedOutOfOrderness h = heuristic();

    assertThat(h.currentWatermark(pt("15:00")), is(WatermarkPolicy.NO_WATERMARK));
    assertThat(h.currentWatermark(pt("23:00")), is(WatermarkPolicy.NO_WATERMARK));
  }

  /**
   * Idle input does not hold the watermark back forever: after the 5-minute timeout it advances
   * with processing time; when the source cannot tell what it holds unread, it stops at the newest
   * event seen and never jumps past it.
   */
  @Test
  public void idleInputAdvancesWithProcessingTimeUpToTheNewestEventSeen() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));
    List<Instant> watermarks = new ArrayList<>();

    // Silent for 4 minutes: not idle yet.
    watermarks.add(h.currentWatermark(pt("15:04")));
    // Silent for exactly the timeout: still the bound.
    watermarks.add(h.currentWatermark(pt("15:05")));
    // 30 s past the timeout: 30 s of advance.
    watermarks.add(h.currentWatermark(pt("15:05:30")));
    // 1 min past the timeout: the newest event seen, the cap.
    watermarks.add(h.currentWatermark(pt("15:06")));
    // An hour later: still the cap.
    watermarks.add(h.currentWatermark(pt("16:00")));

    assertThat(
        watermarks, contains(ev("12:05"), ev("12:05"), ev("12:05:30"), ev("12:06"), ev("12:06")));
  }

  /**
   * When the source reports the earliest event time it still holds unread (an element in flight),
   * idleness never advances the watermark past it, however long the silence.
   */
  @Test
  public void idleAdvanceNeverPassesDataStillInFlight() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));
    h.reportEarliestUnread(ev("12:05:20"));

    assertThat(h.currentWatermark(pt("15:05:10")), is(ev("12:05:10")));
    assertThat(h.currentWatermark(pt("15:10")), is(ev("12:05:20")));
    assertThat(h.currentWatermark(pt("18:00")), is(ev("12:05:20")));
  }

  /**
   * When the source reports that it holds nothing unread, an idle watermark keeps following
   * processing time, past the newest event seen: windows after it close too.
   */
  @Test
  public void idleInputWithNothingUnreadKeepsFollowingProcessingTime() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));
    h.reportEarliestUnread(WatermarkPolicy.COMPLETE);

    assertThat(h.currentWatermark(pt("15:10")), is(ev("12:10")));
    assertThat(h.currentWatermark(pt("16:05")), is(ev("13:05")));
  }

  /**
   * Freshness has a price: an element that arrives after an idle advance, older than the advanced
   * watermark, is behind it (late); the next newer element moves the watermark on, and its arrival
   * restarts the idle timeout.
   */
  @Test
  public void elementArrivingAfterAnIdleAdvanceCanBeBehindTheWatermark() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));
    h.reportEarliestUnread(WatermarkPolicy.COMPLETE);
    assertThat(h.currentWatermark(pt("15:10")), is(ev("12:10")));

    h.observe(ev("12:08"), pt("15:10"));
    assertThat(h.currentWatermark(pt("15:10")), is(ev("12:10")));

    h.observe(ev("12:12"), pt("15:11"));
    assertThat(h.currentWatermark(pt("15:11")), is(ev("12:11")));
    // 4 minutes after that arrival: not idle.
    assertThat(h.currentWatermark(pt("15:15")), is(ev("12:11")));
    // 7 minutes after: 2 minutes past the timeout.
    assertThat(h.currentWatermark(pt("15:18")), is(ev("12:13")));
  }

  /** A copy is an independent snapshot: what the original sees later does not change it. */
  @Test
  public void copyIsAnIndependentSnapshot() {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));
    BoundedOutOfOrderness snapshot = h.copy();

    h.observe(ev("12:20"), pt("15:01"));

    assertThat(snapshot.currentWatermark(pt("15:01")), is(ev("12:05")));
    assertThat(h.currentWatermark(pt("15:01")), is(ev("12:19")));
  }

  /** The state survives Java serialization (it is checkpointed as estimator state). */
  @Test
  public void stateSurvivesJavaSerialization() throws Exception {
    BoundedOutOfOrderness h = heuristic();
    h.observe(ev("12:06"), pt("15:00"));

    BoundedOutOfOrderness restored = roundTrip(h);

    assertThat(restored.currentWatermark(pt("15:00")), is(ev("12:05")));
    assertThat(restored.currentWatermark(pt("15:05:30")), is(ev("12:05:30")));
  }

  /** A negative bound is refused at construction. */
  @Test
  public void negativeBoundIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BoundedOutOfOrderness.of(Duration.ofMinutes(-1), FIVE_MINUTES_IDLE));
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
