package dev.tidemark.testing;

import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Named instants for specifications: {@code at("12:04:30")} is that time of day on the scenario
 * day, 2026-01-01, in UTC — the way the deck and "Streaming Systems" write event times.
 */
public final class Clock {
  /** The day every bare time of day refers to. */
  public static final Instant DAY = Instant.parse("2026-01-01T00:00:00Z");

  private Clock() {}

  /** {@code HH:MM[:SS[.mmm]]} on {@link #DAY}. */
  public static Instant at(String timeOfDay) {
    return Instant.parse(
        "2026-01-01T" + (timeOfDay.length() == 5 ? timeOfDay + ":00" : timeOfDay) + "Z");
  }

  /** Minutes, for durations in specs. */
  public static Duration minutes(long m) {
    return Duration.standardMinutes(m);
  }
}
