package dev.tidemark.transforms.windowing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * The text form of windows, and the Beam window functions they stand for. (Durations themselves are
 * specified in core's {@code DurationsTest}.)
 */
public class WindowSpecTest {

  /** Every text form parses to the spec it names and prints back unchanged. */
  @Test
  public void textFormRoundTrips() {
    for (String text :
        new String[] {
          "global",
          "fixed:5m",
          "sliding:10m/5m",
          "session:5m",
          "fixed:90s",
          "fixed:1500ms",
          "session:1d"
        }) {
      assertEquals(text, WindowSpec.parse(text).toString());
    }
  }

  /** Each kind maps to exactly Beam's window function. */
  @Test
  public void specsAreBeamWindowFunctions() {
    assertEquals(
        FixedWindows.of(Duration.standardMinutes(5)), WindowSpec.parse("fixed:5m").toWindowFn());
    assertEquals(
        SlidingWindows.of(Duration.standardMinutes(10)).every(Duration.standardMinutes(5)),
        WindowSpec.parse("sliding:10m/5m").toWindowFn());
    assertEquals(
        Sessions.withGapDuration(Duration.standardMinutes(5)),
        WindowSpec.parse("session:5m").toWindowFn());
    assertEquals(new GlobalWindows(), WindowSpec.parse("global").toWindowFn());
  }

  /** A malformed window or duration is refused with a message naming what is accepted. */
  @Test
  public void malformedSpecsAreRefusedWithTheAcceptedForms() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse("tumbling:5m"))
            .getMessage(),
        containsString("expected global, fixed, sliding or session"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse("fixed:5 minutes"))
            .getMessage(),
        containsString("ms, s, m, h, d"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse("sliding:5m/10m"))
            .getMessage(),
        containsString("0 < period <= size"));
  }
}
