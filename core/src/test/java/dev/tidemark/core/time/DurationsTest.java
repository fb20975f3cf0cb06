package dev.tidemark.core.time;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** The one duration grammar: the forms it reads, the form it prints, and that the two agree. */
public class DurationsTest {

  /** Durations print in their shortest exact unit. */
  @Test
  public void durationsPrintInTheirLargestExactUnit() {
    assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("1000d", Durations.format(Duration.ofDays(1000)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("0", Durations.format(Duration.ZERO));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
  }

  /** Sums of parts and ISO-8601 durations are accepted too. */
  @Test
  public void compoundAndIsoDurationsParse() {
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("PT30M"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("pt1.5s"));
    assertEquals(Duration.ofMillis(150_500), Durations.parse("2m30s500ms"));
    assertEquals(Duration.ZERO, Durations.parse(" 0 "));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("30m1x"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT"));
  }

  /** Anything else is refused with a message naming the accepted units. */
  @Test
  public void malformedDurationsNameTheAcceptedUnits() {
    assertEquals(
        "not a duration: '30 minutes' (expected a whole number and a unit: ms, s, m, h, d)",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("30 minutes"))
            .getMessage());
    assertEquals(
        "not a duration: '120' (expected a whole number and a unit: ms, s, m, h, d)",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("120")).getMessage());
    assertEquals(
        "not a duration: 'PT-5M' (a duration is never negative)",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT-5M")).getMessage());
    assertEquals(
        "not a duration: '9999999999999999999d' (longer than 292 million years)",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("9999999999999999999d"))
            .getMessage());
  }

  /** Flags that took plain numbers read them in their unit, and every other form as usual. */
  @Test
  public void bareNumbersAreInTheGivenUnit() {
    assertEquals(Duration.ofSeconds(120), Durations.parse("120", ChronoUnit.SECONDS));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m", ChronoUnit.SECONDS));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms", ChronoUnit.SECONDS));
    assertEquals(Duration.ofHours(6), Durations.parse("6h", ChronoUnit.SECONDS));
    assertEquals(Duration.ofDays(1), Durations.parse("1d", ChronoUnit.SECONDS));
    assertEquals(Duration.ZERO, Durations.parse("0", ChronoUnit.SECONDS));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("2x", ChronoUnit.SECONDS));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1", ChronoUnit.SECONDS));
  }

  /** Negative and sub-millisecond durations have no text form. */
  @Test
  public void negativeAndSubMillisecondDurationsDoNotFormat() {
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofNanos(1)));
  }

  /** parse(format(d)) == d over every unit boundary and ten thousand random durations. */
  @Test
  public void formatThenParseRoundTrips() {
    List<Duration> durations = new ArrayList<>();
    long[] units = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};
    for (long unit : units) {
      for (long n : new long[] {0, 1, 2, 59, 60, 61, 999, 1000, 1001, 86_399, 86_401}) {
        durations.add(Duration.ofMillis(n * unit));
        durations.add(Duration.ofMillis(n * unit + 1));
      }
    }
    durations.add(Duration.ofMillis(Long.MAX_VALUE));
    Random random = new Random(13);
    for (int i = 0; i < 10_000; i++) {
      long unit = units[random.nextInt(units.length)];
      durations.add(Duration.ofMillis((random.nextLong() >>> 1) / unit * unit));
      durations.add(Duration.ofMillis(random.nextInt(10_000_000)));
    }
    for (Duration d : durations) {
      String text = Durations.format(d);
      assertEquals(text, d, Durations.parse(text));
      assertEquals(text, d, Durations.parse(text, ChronoUnit.SECONDS));
    }
  }

  /** Every sum of parts equals the sum of its parts, written in any order. */
  @Test
  public void sumsOfPartsAddUp() {
    Random random = new Random(7);
    String[] names = {"d", "h", "m", "s", "ms"};
    long[] millis = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    for (int i = 0; i < 1_000; i++) {
      StringBuilder text = new StringBuilder();
      long expected = 0;
      for (int part = 0; part <= random.nextInt(4); part++) {
        int u = random.nextInt(names.length);
        int n = random.nextInt(1000);
        text.append(n).append(names[u]);
        expected += n * millis[u];
      }
      assertEquals(text.toString(), Duration.ofMillis(expected), Durations.parse(text.toString()));
    }
  }
}
