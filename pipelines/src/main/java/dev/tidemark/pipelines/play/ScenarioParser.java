package dev.tidemark.pipelines.play;

import dev.tidemark.core.time.Durations;
import dev.tidemark.core.yaml.YamlDocument;
import dev.tidemark.core.yaml.YamlMapping;
import dev.tidemark.core.yaml.YamlNode;
import dev.tidemark.core.yaml.YamlReader;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.BeamDurations;
import dev.tidemark.transforms.windowing.TriggerGrammar;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior;
import org.joda.time.Duration;

/**
 * Reads a scenario file (YAML, or JSON, which is YAML too) into a validated {@link Scenario}. Every
 * error is a {@link ScenarioException} naming the file, the line, the path in the document and what
 * is wrong; nothing is half-parsed. The document is read by Tidemark's one YAML reader ({@link
 * YamlReader}), so that every value keeps its line and bare times such as {@code 12:00:00} stay
 * text (YAML 1.1 would otherwise read them as base-60 numbers). The trigger is read through the one
 * trigger vocabulary ({@link TriggerSpec#parse(YamlNode, TriggerGrammar.Alignment)}), the durations
 * through the one duration grammar ({@link Durations}).
 *
 * <p>The format is the one of issue 4 ({@code bin/tidemark play --help} prints it): {@code name},
 * {@code start}, {@code stream} (steps {@code watermark}, {@code at}, {@code event}, {@code
 * events}) or bounded {@code events}, and {@code pipeline} ({@code window}, {@code trigger}, {@code
 * accumulation}, {@code allowed-lateness}, {@code on-time-behavior}, {@code closing-behavior},
 * {@code combine}).
 */
public final class ScenarioParser {

  /** The day bare times refer to when {@code start} has no date. */
  public static final LocalDate DEFAULT_DAY = LocalDate.of(2026, 1, 1);

  private static final Pattern TIME_OF_DAY =
      Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?");

  private static final YamlReader READER =
      YamlReader.of("YAML or JSON").withErrors(ScenarioException::new);

  private final String file;
  private LocalDate day = DEFAULT_DAY;
  private Instant start = DEFAULT_DAY.atStartOfDay().toInstant(ZoneOffset.UTC);

  private ScenarioParser(String file) {
    this.file = file;
  }

  /** Reads and validates the scenario in {@code path}. */
  public static Scenario parse(Path path) {
    return new ScenarioParser(path.toString()).document(READER.read(path));
  }

  /** Reads and validates a scenario given as text; {@code file} names it in messages. */
  public static Scenario parse(String file, String text) {
    return new ScenarioParser(file).document(READER.read(file, text));
  }

  private Scenario document(YamlDocument document) {
    YamlNode root = document.root();
    YamlMapping top = root.mapping(Set.of("name", "start", "stream", "events", "pipeline"));
    String name = top.has("name") ? text(top.get("name")) : baseName(file);
    if (top.has("start")) {
      start = instant(top.get("start"), true);
      day = start.atZone(ZoneOffset.UTC).toLocalDate();
    }
    YamlNode pipelineNode = top.require("pipeline", "(window, combine, ...)");
    YamlMapping pipeline =
        pipelineNode.mapping(
            Set.of(
                "window",
                "trigger",
                "accumulation",
                "allowed-lateness",
                "on-time-behavior",
                "closing-behavior",
                "combine"));
    ScenarioCombineFn.Kind combine =
        combine(pipeline.require("combine", "(sum, count, min, max, mean or latest)"));
    WindowingPolicy policy =
        WindowingPolicy.of(
            pipeline.has("window") ? window(pipeline.get("window")) : WindowSpec.global());
    int triggerLine = 0;
    if (pipeline.has("trigger")) {
      policy = policy.withTrigger(trigger(pipeline.get("trigger")));
      triggerLine = pipeline.get("trigger").line();
    }
    if (pipeline.has("accumulation")) {
      policy =
          policy.withAccumulation(parseWith(pipeline.get("accumulation"), Accumulation::parse));
    }
    if (pipeline.has("allowed-lateness")) {
      policy = policy.withAllowedLateness(duration(pipeline.get("allowed-lateness")));
    }
    if (pipeline.has("on-time-behavior")) {
      boolean always = fireAlways(pipeline.get("on-time-behavior"));
      policy =
          policy.withOnTimeBehavior(
              always ? OnTimeBehavior.FIRE_ALWAYS : OnTimeBehavior.FIRE_IF_NON_EMPTY);
    }
    if (pipeline.has("closing-behavior")) {
      boolean always = fireAlways(pipeline.get("closing-behavior"));
      policy =
          policy.withClosingBehavior(
              always ? ClosingBehavior.FIRE_ALWAYS : ClosingBehavior.FIRE_IF_NON_EMPTY);
    }

    boolean hasStream = top.has("stream");
    boolean hasEvents = top.has("events");
    if (hasStream == hasEvents) {
      throw root.error(
          hasStream
              ? "give either 'stream' (unbounded) or 'events' (bounded), not both"
              : "missing 'stream' (unbounded input) or 'events' (bounded input)");
    }
    List<Scenario.Step> steps = new ArrayList<>();
    if (hasStream) {
      steps.addAll(stream(top.get("stream"), start, combine));
    } else {
      // Bounded input: every event is there at once, then the input is complete.
      steps.add(new Scenario.AddEvents(eventList(top.get("events"), combine)));
    }
    if (steps.isEmpty()
        || !(steps.get(steps.size() - 1) instanceof Scenario.AdvanceWatermark w && w.isEnd())) {
      // An input that ends: TestStream advances the watermark to infinity when its script ends.
      steps.add(new Scenario.AdvanceWatermark(null));
    }
    return new Scenario(file, name, start, steps, hasEvents, policy, combine, triggerLine);
  }

  // ----- stream -----

  private List<Scenario.Step> stream(YamlNode node, Instant start, ScenarioCombineFn.Kind combine) {
    List<Scenario.Step> steps = new ArrayList<>();
    Instant processingTime = start;
    Instant watermark = null;
    boolean ended = false;
    for (YamlNode item : node.list()) {
      YamlMapping step = item.mapping(Set.of("watermark", "at", "event", "events"));
      if (step.size() != 1) {
        throw item.error(
            "each step has exactly one of watermark, at, event, events; found " + step.keys());
      }
      String kind = step.keys().iterator().next();
      YamlNode value = step.get(kind);
      if (ended) {
        throw item.error("nothing can follow 'watermark: end' (the input has ended)");
      }
      switch (kind) {
        case "watermark" -> {
          String text = text(value);
          if (text.equals("end")) {
            steps.add(new Scenario.AdvanceWatermark(null));
            ended = true;
          } else {
            Instant to = instant(value, false);
            if (watermark != null && to.isBefore(watermark)) {
              throw value.error(
                  "the watermark goes back from "
                      + PlayFormats.time(watermark, day)
                      + " to "
                      + PlayFormats.time(to, day)
                      + " (a watermark never regresses)");
            }
            if (watermark == null || to.isAfter(watermark)) {
              steps.add(new Scenario.AdvanceWatermark(to));
            }
            watermark = to;
          }
        }
        case "at" -> {
          Instant to = instant(value, false);
          if (to.isBefore(processingTime)) {
            throw value.error(
                "processing time goes back from "
                    + PlayFormats.time(processingTime, day)
                    + " to "
                    + PlayFormats.time(to, day)
                    + " (steps are in processing-time order, starting at 'start')");
          }
          if (to.isAfter(processingTime)) {
            steps.add(new Scenario.AdvanceProcessingTime(to));
          }
          processingTime = to;
        }
        case "event" -> steps.add(new Scenario.AddEvents(List.of(event(value, combine))));
        default -> steps.add(new Scenario.AddEvents(eventList(value, combine)));
      }
    }
    return steps;
  }

  private List<Scenario.Event> eventList(YamlNode node, ScenarioCombineFn.Kind combine) {
    List<Scenario.Event> events = new ArrayList<>();
    for (YamlNode item : node.list()) {
      events.add(event(item, combine));
    }
    if (events.isEmpty()) {
      throw node.error("an empty list of events");
    }
    return events;
  }

  private Scenario.Event event(YamlNode node, ScenarioCombineFn.Kind combine) {
    YamlMapping e = node.mapping(Set.of("key", "value", "time", "tag"));
    for (String required : List.of("key", "value", "time")) {
      if (!e.has(required)) {
        throw node.error("an event needs key, value and time; '" + required + "' is missing");
      }
    }
    String key = text(e.get("key"));
    Object value = value(e.get("value"), combine);
    Instant time = instant(e.get("time"), false);
    String tag = e.has("tag") ? text(e.get("tag")) : null;
    return new Scenario.Event(key, value, time, tag);
  }

  private Object value(YamlNode node, ScenarioCombineFn.Kind combine) {
    String text = text(node);
    if (node.isPlain()) {
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException notANumber) {
        // A plain word: a string value.
      }
    }
    if (!combine.acceptsStrings()) {
      throw node.error(
          "'"
              + text
              + "' is not a number, and combine "
              + combine
              + " needs numbers (strings are allowed for count and latest)");
    }
    return text;
  }

  // ----- pipeline -----

  private ScenarioCombineFn.Kind combine(YamlNode node) {
    String text = text(node);
    for (ScenarioCombineFn.Kind k : ScenarioCombineFn.Kind.values()) {
      if (k.toString().equals(text)) {
        return k;
      }
    }
    throw node.error(
        "unknown combine '" + text + "' (expected sum, count, min, max, mean or latest)");
  }

  private WindowSpec window(YamlNode node) {
    if (node.isScalar()) {
      String text = text(node);
      if (text.equals("global")) {
        return WindowSpec.global();
      }
      throw node.error(
          "unknown window '"
              + text
              + "' (expected global, {fixed: D}, {sliding: D, every: D} or {session: D})");
    }
    YamlMapping w = node.mapping(Set.of("fixed", "sliding", "every", "session"));
    if (w.has("fixed") && w.size() == 1) {
      return windowOf(node, () -> WindowSpec.fixed(duration(w.get("fixed"))));
    }
    if (w.has("session") && w.size() == 1) {
      return windowOf(node, () -> WindowSpec.session(duration(w.get("session"))));
    }
    if (w.has("sliding") && w.has("every") && w.size() == 2) {
      Duration size = duration(w.get("sliding"));
      Duration period = duration(w.get("every"));
      return windowOf(node, () -> WindowSpec.sliding(size, period));
    }
    throw node.error(
        "expected one of {fixed: D}, {sliding: D, every: D}, {session: D}; found " + w.keys());
  }

  /** The window {@code spec} makes; its refusal (a zero size, say) is reported at the window. */
  private static WindowSpec windowOf(YamlNode node, Supplier<WindowSpec> spec) {
    try {
      return spec.get();
    } catch (ScenarioException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /**
   * The trigger, in the YAML form of the one trigger vocabulary ({@link TriggerGrammar}); {@code
   * aligned-to} is a time on the start day or an instant, kept at or before {@code start}.
   */
  private TriggerSpec trigger(YamlNode node) {
    return TriggerSpec.parse(
        node,
        (text, period) ->
            new org.joda.time.Instant(alignNotAfter(instantOf(text, false), period, start)));
  }

  /**
   * The same alignment ({@code aligned + k * period} for every whole k), as an instant not after
   * {@code start}. Beam computes the next aligned instant with Java's remainder, which is negative
   * when the element's processing time is before the alignment instant, and then aligns one period
   * too late (12:03 instead of 12:01 for an element at 12:00:30 aligned to 12:01 every 2m); an
   * instant at or before every processing time of the scenario avoids that.
   */
  static long alignNotAfter(Instant aligned, Duration period, Instant start) {
    long a = aligned.toEpochMilli();
    long p = period.getMillis();
    long s = start.toEpochMilli();
    return a <= s ? a : a - ((a - s + p - 1) / p) * p;
  }

  private boolean fireAlways(YamlNode node) {
    String text = text(node);
    return switch (text) {
      case "fire-always" -> true;
      case "fire-if-non-empty" -> false;
      default ->
          throw node.error(
              "unknown behavior '" + text + "' (expected fire-always or fire-if-non-empty)");
    };
  }

  // ----- scalars -----

  private Duration duration(YamlNode node) {
    return parseWith(node, text -> BeamDurations.toJoda(Durations.parse(text)));
  }

  private <T> T parseWith(YamlNode node, Function<String, T> parse) {
    String text = text(node);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private Instant instant(YamlNode node, boolean isStart) {
    return parseWith(node, text -> instantOf(text, isStart));
  }

  /**
   * A bare time of day {@code HH:MM[:SS[.mmm]]} on the scenario's day, or an ISO-8601 instant (a
   * date-time without offset is UTC).
   */
  private Instant instantOf(String text, boolean isStart) {
    try {
      if (TIME_OF_DAY.matcher(text).matches()) {
        LocalTime t =
            LocalTime.parse(text.length() == 4 || text.indexOf(':') == 1 ? "0" + text : text);
        return day.atTime(t).toInstant(ZoneOffset.UTC);
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return OffsetDateTime.parse(text).toInstant();
      }
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time (expected HH:MM[:SS[.mmm]]"
              + (isStart ? "" : " on the start day")
              + " or an ISO-8601 instant such as 2026-01-01T12:00:00Z)");
    }
  }

  /** A single value, without surrounding spaces. */
  private static String text(YamlNode node) {
    return node.scalar().strip();
  }

  private static String baseName(String file) {
    String name = Path.of(file).getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
