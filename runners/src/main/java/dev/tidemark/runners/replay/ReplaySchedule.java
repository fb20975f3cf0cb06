package dev.tidemark.runners.replay;

import dev.tidemark.core.trip.TaxiTrip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order in which a replay publishes trips: each trip gets a publication time on the event-time
 * axis, {@code trip start + delay}, and trips go out in that order. Most delays are uniform in
 * {@code [0, disorder]} (bounded disorder: a watermark that trails by {@code disorder} sees them on
 * time); a chosen fraction of trips is late, delayed by {@code disorder + (0, lateBy]}. The plan is
 * deterministic for a seed.
 */
public final class ReplaySchedule {

  /**
   * One trip to publish.
   *
   * @param trip the trip
   * @param publishAtMillis when to publish it, on the event-time axis (Unix millis)
   * @param delayedLate whether it was chosen to be late (delayed beyond {@code disorder})
   */
  public record Planned(TaxiTrip trip, long publishAtMillis, boolean delayedLate) {}

  private ReplaySchedule() {}

  /** Plans the publication of {@code trips}; see the class comment. */
  public static List<Planned> plan(
      List<TaxiTrip> trips, Duration disorder, double lateFraction, Duration lateBy, long seed) {
    if (lateFraction < 0 || lateFraction > 1) {
      throw new IllegalArgumentException("the late fraction must be in [0, 1]: " + lateFraction);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long disorderMs = disorder.toMillis();
    long lateByMs = Math.max(1, lateBy.toMillis());
    // Plan in event-time order so that the random draws do not depend on the file's order.
    List<TaxiTrip> ordered = new ArrayList<>(trips);
    ordered.sort(Comparator.comparingLong(TaxiTrip::tripStartTimestamp));
    List<Planned> plan = new ArrayList<>(ordered.size());
    for (TaxiTrip t : ordered) {
      boolean late = random.nextDouble() < lateFraction;
      long delay =
          late
              ? disorderMs + 1 + random.nextLong(lateByMs)
              : (disorderMs == 0 ? 0 : random.nextLong(disorderMs + 1));
      plan.add(new Planned(t, t.tripStartTimestamp() * 1000L + delay, late));
    }
    plan.sort(Comparator.comparingLong(Planned::publishAtMillis));
    return plan;
  }

  /**
   * How many planned events arrive after an event whose trip start is more than {@code disorder}
   * later: the events that a watermark trailing by {@code disorder} would find late.
   */
  public static long countBeyondDisorder(List<Planned> plan, Duration disorder) {
    long maxStart = Long.MIN_VALUE;
    long late = 0;
    for (Planned p : plan) {
      long start = p.trip().tripStartTimestamp() * 1000L;
      if (maxStart != Long.MIN_VALUE && start < maxStart - disorder.toMillis()) {
        late++;
      }
      maxStart = Math.max(maxStart, start);
    }
    return late;
  }

  /** How many planned events arrive after an event with a later trip start. */
  public static long countOutOfOrder(List<Planned> plan) {
    long maxStart = Long.MIN_VALUE;
    long n = 0;
    for (Planned p : plan) {
      long start = p.trip().tripStartTimestamp();
      if (start < maxStart) {
        n++;
      }
      maxStart = Math.max(maxStart, start);
    }
    return n;
  }
}
