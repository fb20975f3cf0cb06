package dev.tidemark.transforms.windowing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Durations in the short text form used by specs, options and scenario files: a whole number
 * followed by a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 0} alone is
 * also accepted; so are sums like {@code 1h30m} and ISO-8601 like {@code PT30M}). {@link #format}
 * gives the shortest exact form, so parse and format round-trip.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
  private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

  private Durations() {}

  /**
   * Parses {@code 5m}, {@code 30s}, {@code 1000d}, {@code 250ms}, {@code 0}, a sum of such parts
   * ({@code 1h30m}) or an ISO-8601 duration ({@code PT30M}).
   *
   * @throws IllegalArgumentException naming the accepted units when the text is not a duration
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("PT") || t.startsWith("pt")) {
      try {
        return Duration.millis(java.time.Duration.parse(t.toUpperCase()).toMillis());
      } catch (java.time.format.DateTimeParseException e) {
        throw notADuration(text);
      }
    }
    Matcher m = FORM.matcher(t);
    long millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
          };
      millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw notADuration(text);
    }
    return Duration.millis(millis);
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "not a duration: '" + text + "' (expected a whole number and a unit: ms, s, m, h, d)");
  }

  /** The shortest exact text form: {@code 5m}, {@code 90s}, {@code 1500ms}, {@code 0}. */
  public static String format(Duration d) {
    long ms = d.getMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms < 0) {
      throw new IllegalArgumentException("negative duration " + d);
    }
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      if (ms % UNIT_MILLIS[i] == 0) {
        return (ms / UNIT_MILLIS[i]) + UNIT_NAMES[i];
      }
    }
    throw new AssertionError("unreachable: every duration is a whole number of milliseconds");
  }
}
