package dev.tidemark.runners.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.trip.TaxiTrip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Specification of the replay plan: event-time order, bounded disorder, late events. */
public class ReplayScheduleTest {

  /** 2013-03-07T19:00:00Z in Unix seconds. */
  private static final long T_19_00 = 1362682800L;

  /** A $10 trip starting {@code minutes} after 19:00. */
  private static TaxiTrip trip(int minutes) {
    return new TaxiTrip(
        8,
        10.0,
        3,
        19,
        5,
        T_19_00 + minutes * 60L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "Cash",
        null,
        600,
        null,
        null);
  }

  private static List<Long> minutes(List<ReplaySchedule.Planned> plan) {
    List<Long> m = new ArrayList<>();
    plan.forEach(p -> m.add((p.trip().tripStartTimestamp() - T_19_00) / 60));
    return m;
  }

  /** Without disorder the trips go out in event-time order, whatever the input order. */
  @Test
  public void withoutDisorderTripsGoOutInEventTimeOrder() {
    List<ReplaySchedule.Planned> plan =
        ReplaySchedule.plan(
            List.of(trip(30), trip(0), trip(10), trip(20)),
            Duration.ZERO,
            0,
            Duration.ofHours(1),
            1);
    assertThat(minutes(plan), contains(0L, 10L, 20L, 30L));
    assertThat(ReplaySchedule.countOutOfOrder(plan), equalTo(0L));
  }

  /** With bounded disorder some trips swap, but none arrives beyond the bound. */
  @Test
  public void boundedDisorderNeverExceedsTheBound() {
    List<TaxiTrip> trips = new ArrayList<>();
    for (int m = 0; m < 600; m++) {
      trips.add(trip(m));
    }
    List<ReplaySchedule.Planned> plan =
        ReplaySchedule.plan(trips, Duration.ofMinutes(2), 0, Duration.ofHours(1), 7);
    assertThat(ReplaySchedule.countOutOfOrder(plan) > 0, equalTo(true));
    assertThat(ReplaySchedule.countBeyondDisorder(plan, Duration.ofMinutes(2)), equalTo(0L));
  }

  /** Every trip chosen late is delayed beyond the disorder bound. */
  @Test
  public void lateTripsAreDelayedBeyondTheBound() {
    List<TaxiTrip> trips = new ArrayList<>();
    for (int m = 0; m < 1000; m++) {
      trips.add(trip(m));
    }
    List<ReplaySchedule.Planned> plan =
        ReplaySchedule.plan(trips, Duration.ofMinutes(2), 0.05, Duration.ofHours(1), 7);
    long chosen = plan.stream().filter(ReplaySchedule.Planned::delayedLate).count();
    assertThat(chosen > 20 && chosen < 90, equalTo(true));
    for (ReplaySchedule.Planned p : plan) {
      long delay = p.publishAtMillis() - p.trip().tripStartTimestamp() * 1000L;
      assertThat(p.delayedLate() ? delay > 120_000 : delay <= 120_000, equalTo(true));
    }
  }
}
