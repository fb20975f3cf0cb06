package dev.tidemark.core.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of Tidemark: window sizes, trigger delays, allowed lateness, scenario
 * files, pipeline options and CLI flags all read and print durations here.
 *
 * <pre>
 *   5m   30s   250ms   1h   1000d     a whole number and a unit: ms, s, m, h or d
 *   1h30m   2m30s500ms                a sum of such parts, largest unit first or not
 *   0                                 zero, without a unit
 *   PT30M   pt1.5s                    ISO-8601 time-based (java.time.Duration's form)
 * </pre>
 *
 * <p>Durations are whole milliseconds and never negative. {@link #format} gives the shortest exact
 * form ({@code 90s}, {@code 2m}, {@code 1500ms}, {@code 0}), so that {@code parse(format(d))}
 * equals {@code d} for every such duration.
 *
 * <p>Some command-line flags historically took a bare number in a unit ({@code replay --disorder
 * 120} is 120 seconds); {@link #parse(String, ChronoUnit)} reads those with the same grammar.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");
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
      return iso(text, t);
    }
    Matcher m = PART.matcher(t);
    long millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      millis = plus(text, millis, m.group(1), unitMillis(m.group(2)));
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw notADuration(text);
    }
    return Duration.ofMillis(millis);
  }

  /**
   * Like {@link #parse(String)}, and a bare whole number is a count of {@code bareUnit} ({@code
   * 120} with {@link ChronoUnit#SECONDS} is two minutes). For flags that accepted plain numbers
   * before they accepted units.
   *
   * @param bareUnit the unit of a number written without one: millis, seconds, minutes, hours or
   *     days
   */
  public static Duration parse(String text, ChronoUnit bareUnit) {
    String t = text == null ? "" : text.strip();
    if (BARE_NUMBER.matcher(t).matches()) {
      return Duration.ofMillis(plus(text, 0, t, bareUnit.getDuration().toMillis()));
    }
    return parse(text);
  }

  /**
   * The shortest exact text form: {@code 5m}, {@code 90s}, {@code 1500ms}, {@code 0}; {@link
   * #parse} reads it back to the same duration.
   *
   * @throws IllegalArgumentException for a negative duration or one finer than a millisecond
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration " + d);
    }
    if (d.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("duration " + d + " is not a whole number of ms");
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      if (ms % UNIT_MILLIS[i] == 0) {
        return (ms / UNIT_MILLIS[i]) + UNIT_NAMES[i];
      }
    }
    throw new AssertionError("unreachable: every duration is a whole number of milliseconds");
  }

  private static Duration iso(String text, String t) {
    Duration d;
    try {
      d = Duration.parse(t.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw notADuration(text);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (a duration is never negative)");
    }
    try {
      return Duration.ofMillis(d.toMillis());
    } catch (ArithmeticException e) {
      throw tooLong(text);
    }
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
  }

  /** {@code millis + digits * unit}, refusing what does not fit in a long of milliseconds. */
  private static long plus(String text, long millis, String digits, long unit) {
    try {
      return Math.addExact(millis, Math.multiplyExact(Long.parseLong(digits), unit));
    } catch (ArithmeticException | NumberFormatException e) {
      throw tooLong(text);
    }
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "not a duration: '" + text + "' (expected a whole number and a unit: ms, s, m, h, d)");
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "not a duration: '" + text + "' (longer than 292 million years)");
  }
}
