package dev.tidemark.transforms.windowing;

/**
 * Converts between the {@link java.time.Duration}s of the one duration grammar ({@link
 * dev.tidemark.core.time.Durations}: {@code 5m}, {@code 1h30m}, {@code PT30M}) and Beam's Joda
 * durations. Read as {@code BeamDurations.toJoda(Durations.parse(text))}, print as {@code
 * Durations.format(BeamDurations.toJava(d))}.
 */
public final class BeamDurations {
  private BeamDurations() {}

  /** Beam's Joda duration for {@code d} (whole milliseconds, as Beam counts). */
  public static org.joda.time.Duration toJoda(java.time.Duration d) {
    return org.joda.time.Duration.millis(d.toMillis());
  }

  /** The {@link java.time.Duration} of a Beam duration. */
  public static java.time.Duration toJava(org.joda.time.Duration d) {
    return java.time.Duration.ofMillis(d.getMillis());
  }
}
