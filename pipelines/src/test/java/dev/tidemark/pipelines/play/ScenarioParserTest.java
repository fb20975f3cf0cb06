package dev.tidemark.pipelines.play;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/** The scenario format: what it accepts, and one line naming file, place and fault otherwise. */
public class ScenarioParserTest {
  private static final String PIPELINE = "pipeline:\n  window: {fixed: 2m}\n  combine: sum\n";

  private static String stream(String... steps) {
    return "start: \"12:00:00\"\nstream:\n"
        + String.join("", List.of(steps).stream().map(s -> "  - " + s + "\n").toList())
        + PIPELINE;
  }

  private static String error(String text) {
    return assertThrows(ScenarioException.class, () -> ScenarioParser.parse("s.yaml", text))
        .getMessage();
  }

  /** Bare times are on the start day, ISO-8601 instants anywhere; the script ends at infinity. */
  @Test
  public void bareTimesAreOnTheStartDay() {
    Scenario s =
        ScenarioParser.parse(
            "s.yaml",
            stream(
                "watermark: \"12:00:00\"",
                "at: \"12:01:30.250\"",
                "event: {key: k, value: 5, time: \"2026-01-01T12:00:26Z\", tag: checkout}"));
    assertEquals(Instant.parse("2026-01-01T12:00:00Z"), s.start());
    assertEquals(
        List.of(
            new Scenario.AdvanceWatermark(Instant.parse("2026-01-01T12:00:00Z")),
            new Scenario.AdvanceProcessingTime(Instant.parse("2026-01-01T12:01:30.250Z")),
            new Scenario.AddEvents(
                List.of(
                    new Scenario.Event(
                        "k",
                        new java.math.BigDecimal("5"),
                        Instant.parse("2026-01-01T12:00:26Z"),
                        "checkout"))),
            new Scenario.AdvanceWatermark(null)),
        s.steps());
  }

  /** Accumulation, lateness and behaviours reach the windowing policy. */
  @Test
  public void pipelineSectionBecomesThePolicy() {
    Scenario s =
        ScenarioParser.parse(
            "s.yaml",
            "events: [{key: k, value: a, time: \"12:00:00\"}]\n"
                + "pipeline:\n  window: {sliding: 10m, every: 5m}\n"
                + "  trigger: {watermark: {early: {after-count: 2}, late: {after-processing: 1m}}}\n"
                + "  accumulation: retracting\n  allowed-lateness: 1000d\n"
                + "  on-time-behavior: fire-if-non-empty\n  closing-behavior: fire-always\n"
                + "  combine: latest\n");
    assertEquals(
        "window=sliding:10m/5m trigger=watermark(early=count(2), late=processing(1m))"
            + " accumulation=retracting allowed-lateness=1000d on-time=FIRE_IF_NON_EMPTY"
            + " closing=FIRE_ALWAYS",
        s.policy().toString());
    assertEquals(Accumulation.RETRACTING, s.policy().accumulation());
  }

  /** An unknown key names its line and path. */
  @Test
  public void unknownKeyIsRefused() {
    assertEquals(
        "s.yaml:7: pipeline.colour: unknown key 'colour' (expected one of accumulation,"
            + " allowed-lateness, closing-behavior, combine, on-time-behavior, trigger, window)",
        error(stream("watermark: \"12:00:00\"") + "  colour: blue\n"));
  }

  /** Processing time never goes back. */
  @Test
  public void processingTimeGoingBackIsRefused() {
    assertEquals(
        "s.yaml:4: stream[1].at: processing time goes back from 12:01:00 to 12:00:30 (steps are in"
            + " processing-time order, starting at 'start')",
        error(stream("at: \"12:01:00\"", "at: \"12:00:30\"")));
  }

  /** The watermark never regresses. */
  @Test
  public void watermarkRegressingIsRefused() {
    assertEquals(
        "s.yaml:4: stream[1].watermark: the watermark goes back from 12:05:00 to 12:03:00 (a"
            + " watermark never regresses)",
        error(stream("watermark: \"12:05:00\"", "watermark: \"12:03:00\"")));
  }

  /** A duration needs a unit. */
  @Test
  public void unparseableDurationIsRefused() {
    assertEquals(
        "s.yaml:5: pipeline.window.fixed: not a duration: '2 minutes' (expected a whole number"
            + " and a unit: ms, s, m, h, d)",
        error(stream("watermark: \"12:00:00\"").replace("2m", "2 minutes")));
  }

  /** Words are values only for count and latest. */
  @Test
  public void wordValueForSumIsRefused() {
    assertEquals(
        "s.yaml:3: stream[0].event.value: 'felix' is not a number, and combine sum needs numbers"
            + " (strings are allowed for count and latest)",
        error(stream("event: {key: cats, value: felix, time: \"12:04:30\"}")));
  }

  /** Nothing follows the end of the input. */
  @Test
  public void stepAfterEndIsRefused() {
    assertEquals(
        "s.yaml:4: stream[1]: nothing can follow 'watermark: end' (the input has ended)",
        error(stream("watermark: end", "at: \"12:01:00\"")));
  }

  /** Broken YAML names the line. */
  @Test
  public void brokenYamlIsRefused() {
    assertEquals(
        "s.yaml:3: not valid YAML or JSON: expected the node content, but found '<stream end>'",
        error("start: \"12:00:00\"\nstream: [\n"));
  }

  /** The scenario's trigger is the spec its text form names; aligned-to reads on the start day. */
  @Test
  public void triggerIsTheSpecOfItsTextForm() {
    Scenario s =
        ScenarioParser.parse(
            "s.yaml",
            stream("watermark: \"12:00:00\"")
                .replace(
                    "  combine: sum\n",
                    "  trigger: {watermark: {early: {after-processing: 2m, aligned-to: \"12:01:00\"}},"
                        + " until: {after-count: 9}}\n  combine: sum\n"));
    assertEquals(
        TriggerSpec.parse(
            "watermark(early=processing(2m, aligned=2026-01-01T11:59:00Z)).until(count(9))"),
        s.policy().trigger());
  }

  /** A malformed trigger names its line and path like every other scenario error. */
  @Test
  public void malformedTriggerIsRefusedWithLineAndPath() {
    String trigger = "  trigger:\n    repeat:\n      after-count: 0\n  combine: sum\n";
    assertEquals(
        "s.yaml:8: pipeline.trigger.repeat.after-count: count trigger needs at least 1 element,"
            + " got 0",
        error(stream("watermark: \"12:00:00\"").replace("  combine: sum\n", trigger)));
    assertEquals(
        "s.yaml:6: pipeline.trigger: 'aligned-to' belongs to after-processing",
        error(
            stream("watermark: \"12:00:00\"")
                .replace(
                    "  combine: sum\n",
                    "  trigger: {after-count: 3, aligned-to: \"12:01\"}\n  combine: sum\n")));
  }

  /** aligned-to is kept as the same alignment, at or before start (Beam aligns later ones late). */
  @Test
  public void alignmentMovesBeforeStart() {
    Instant start = Instant.parse("2026-01-01T12:00:00Z");
    assertEquals(
        Instant.parse("2026-01-01T11:59:00Z").toEpochMilli(),
        ScenarioParser.alignNotAfter(
            Instant.parse("2026-01-01T12:05:00Z"),
            org.joda.time.Duration.standardMinutes(2),
            start));
    assertEquals(
        Instant.parse("2026-01-01T11:00:00Z").toEpochMilli(),
        ScenarioParser.alignNotAfter(
            Instant.parse("2026-01-01T11:00:00Z"),
            org.joda.time.Duration.standardMinutes(2),
            start));
  }
}
