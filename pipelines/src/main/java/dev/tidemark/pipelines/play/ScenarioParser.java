package dev.tidemark.pipelines.play;

import dev.tidemark.core.time.Durations;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.BeamDurations;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior;
import org.joda.time.Duration;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a scenario file (YAML, or JSON, which is YAML too) into a validated {@link Scenario}. Every
 * error is a {@link ScenarioException} naming the file, the line, the path in the document and what
 * is wrong; nothing is half-parsed. The document is read as a node tree (SnakeYAML's {@code
 * compose}) so that every value keeps its line and bare times such as {@code 12:00:00} stay text
 * (YAML 1.1 would otherwise read them as base-60 numbers).
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

  private final String file;
  private LocalDate day = DEFAULT_DAY;
  private Instant start = DEFAULT_DAY.atStartOfDay().toInstant(ZoneOffset.UTC);

  private ScenarioParser(String file) {
    this.file = file;
  }

  /** Reads and validates the scenario in {@code path}. */
  public static Scenario parse(Path path) {
    String name = path.toString();
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new ScenarioException(
          name,
          0,
          "",
          e instanceof java.nio.file.NoSuchFileException
              ? "no such file"
              : "cannot read the file (" + e + ")");
    }
    return parse(name, text);
  }

  /** Reads and validates a scenario given as text; {@code file} names it in messages. */
  public static Scenario parse(String file, String text) {
    return new ScenarioParser(file).document(new StringReader(text));
  }

  private Scenario document(Reader reader) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ScenarioException(file, line, "", "not valid YAML or JSON: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ScenarioException(file, 0, "", "not valid YAML or JSON: " + e.getMessage());
    }
    if (root == null) {
      throw new ScenarioException(file, 0, "", "the file is empty");
    }
    Map<String, Node> top =
        mapping(root, "", Set.of("name", "start", "stream", "events", "pipeline"));
    String name = top.containsKey("name") ? scalar(top.get("name"), "name") : baseName(file);
    if (top.containsKey("start")) {
      start = instant(top.get("start"), "start", true);
      day = start.atZone(ZoneOffset.UTC).toLocalDate();
    }
    if (!top.containsKey("pipeline")) {
      throw new ScenarioException(
          file, line(root), "", "missing 'pipeline' (window, combine, ...)");
    }
    Node pipelineNode = top.get("pipeline");
    Map<String, Node> pipeline =
        mapping(
            pipelineNode,
            "pipeline",
            Set.of(
                "window",
                "trigger",
                "accumulation",
                "allowed-lateness",
                "on-time-behavior",
                "closing-behavior",
                "combine"));
    if (!pipeline.containsKey("combine")) {
      throw new ScenarioException(
          file,
          line(pipelineNode),
          "pipeline",
          "missing 'combine' (sum, count, min, max, mean or latest)");
    }
    ScenarioCombineFn.Kind combine = combine(pipeline.get("combine"));
    WindowingPolicy policy =
        WindowingPolicy.of(
            pipeline.containsKey("window")
                ? window(pipeline.get("window"), "pipeline.window")
                : WindowSpec.global());
    int triggerLine = 0;
    if (pipeline.containsKey("trigger")) {
      policy = policy.withTrigger(trigger(pipeline.get("trigger"), "pipeline.trigger"));
      triggerLine = line(pipeline.get("trigger"));
    }
    if (pipeline.containsKey("accumulation")) {
      Node n = pipeline.get("accumulation");
      policy = policy.withAccumulation(parseWith(n, "pipeline.accumulation", Accumulation::parse));
    }
    if (pipeline.containsKey("allowed-lateness")) {
      policy =
          policy.withAllowedLateness(
              duration(pipeline.get("allowed-lateness"), "pipeline.allowed-lateness"));
    }
    if (pipeline.containsKey("on-time-behavior")) {
      boolean always = fireAlways(pipeline.get("on-time-behavior"), "pipeline.on-time-behavior");
      policy =
          policy.withOnTimeBehavior(
              always ? OnTimeBehavior.FIRE_ALWAYS : OnTimeBehavior.FIRE_IF_NON_EMPTY);
    }
    if (pipeline.containsKey("closing-behavior")) {
      boolean always = fireAlways(pipeline.get("closing-behavior"), "pipeline.closing-behavior");
      policy =
          policy.withClosingBehavior(
              always ? ClosingBehavior.FIRE_ALWAYS : ClosingBehavior.FIRE_IF_NON_EMPTY);
    }

    boolean hasStream = top.containsKey("stream");
    boolean hasEvents = top.containsKey("events");
    if (hasStream == hasEvents) {
      throw new ScenarioException(
          file,
          line(root),
          "",
          hasStream
              ? "give either 'stream' (unbounded) or 'events' (bounded), not both"
              : "missing 'stream' (unbounded input) or 'events' (bounded input)");
    }
    List<Scenario.Step> steps = new ArrayList<>();
    if (hasStream) {
      steps.addAll(stream(top.get("stream"), start, combine));
    } else {
      // Bounded input: every event is there at once, then the input is complete.
      steps.add(new Scenario.AddEvents(eventList(top.get("events"), "events", combine)));
    }
    if (steps.isEmpty()
        || !(steps.get(steps.size() - 1) instanceof Scenario.AdvanceWatermark w && w.isEnd())) {
      // An input that ends: TestStream advances the watermark to infinity when its script ends.
      steps.add(new Scenario.AdvanceWatermark(null));
    }
    return new Scenario(file, name, start, steps, hasEvents, policy, combine, triggerLine);
  }

  // ----- stream -----

  private List<Scenario.Step> stream(Node node, Instant start, ScenarioCombineFn.Kind combine) {
    SequenceNode seq = sequence(node, "stream");
    List<Scenario.Step> steps = new ArrayList<>();
    Instant processingTime = start;
    Instant watermark = null;
    boolean ended = false;
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String path = "stream[" + i + "]";
      Map<String, Node> step = mapping(item, path, Set.of("watermark", "at", "event", "events"));
      if (step.size() != 1) {
        throw new ScenarioException(
            file,
            line(item),
            path,
            "each step has exactly one of watermark, at, event, events; found " + step.keySet());
      }
      Map.Entry<String, Node> e = step.entrySet().iterator().next();
      String kind = e.getKey();
      Node value = e.getValue();
      String where = path + "." + kind;
      if (ended) {
        throw new ScenarioException(
            file, line(item), path, "nothing can follow 'watermark: end' (the input has ended)");
      }
      switch (kind) {
        case "watermark" -> {
          String text = scalar(value, where);
          if (text.equals("end")) {
            steps.add(new Scenario.AdvanceWatermark(null));
            ended = true;
          } else {
            Instant to = instant(value, where, false);
            if (watermark != null && to.isBefore(watermark)) {
              throw new ScenarioException(
                  file,
                  line(value),
                  where,
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
          Instant to = instant(value, where, false);
          if (to.isBefore(processingTime)) {
            throw new ScenarioException(
                file,
                line(value),
                where,
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
        case "event" -> steps.add(new Scenario.AddEvents(List.of(event(value, where, combine))));
        default -> steps.add(new Scenario.AddEvents(eventList(value, where, combine)));
      }
    }
    return steps;
  }

  private List<Scenario.Event> eventList(Node node, String path, ScenarioCombineFn.Kind combine) {
    SequenceNode seq = sequence(node, path);
    List<Scenario.Event> events = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      events.add(event(seq.getValue().get(i), path + "[" + i + "]", combine));
    }
    if (events.isEmpty()) {
      throw new ScenarioException(file, line(node), path, "an empty list of events");
    }
    return events;
  }

  private Scenario.Event event(Node node, String path, ScenarioCombineFn.Kind combine) {
    Map<String, Node> e = mapping(node, path, Set.of("key", "value", "time", "tag"));
    for (String required : List.of("key", "value", "time")) {
      if (!e.containsKey(required)) {
        throw new ScenarioException(
            file,
            line(node),
            path,
            "an event needs key, value and time; '" + required + "' is missing");
      }
    }
    String key = scalar(e.get("key"), path + ".key");
    Object value = value(e.get("value"), path + ".value", combine);
    Instant time = instant(e.get("time"), path + ".time", false);
    String tag = e.containsKey("tag") ? scalar(e.get("tag"), path + ".tag") : null;
    return new Scenario.Event(key, value, time, tag);
  }

  private Object value(Node node, String path, ScenarioCombineFn.Kind combine) {
    String text = scalar(node, path);
    boolean quoted =
        node instanceof ScalarNode s && s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
    if (!quoted) {
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException notANumber) {
        // A plain word: a string value.
      }
    }
    if (!combine.acceptsStrings()) {
      throw new ScenarioException(
          file,
          line(node),
          path,
          "'"
              + text
              + "' is not a number, and combine "
              + combine
              + " needs numbers (strings are allowed for count and latest)");
    }
    return text;
  }

  // ----- pipeline -----

  private ScenarioCombineFn.Kind combine(Node node) {
    String text = scalar(node, "pipeline.combine");
    for (ScenarioCombineFn.Kind k : ScenarioCombineFn.Kind.values()) {
      if (k.toString().equals(text)) {
        return k;
      }
    }
    throw new ScenarioException(
        file,
        line(node),
        "pipeline.combine",
        "unknown combine '" + text + "' (expected sum, count, min, max, mean or latest)");
  }

  private WindowSpec window(Node node, String path) {
    if (node instanceof ScalarNode) {
      String text = scalar(node, path);
      if (text.equals("global")) {
        return WindowSpec.global();
      }
      throw new ScenarioException(
          file,
          line(node),
          path,
          "unknown window '"
              + text
              + "' (expected global, {fixed: D}, {sliding: D, every: D} or {session: D})");
    }
    Map<String, Node> w = mapping(node, path, Set.of("fixed", "sliding", "every", "session"));
    try {
      if (w.containsKey("fixed") && w.size() == 1) {
        return WindowSpec.fixed(duration(w.get("fixed"), path + ".fixed"));
      }
      if (w.containsKey("session") && w.size() == 1) {
        return WindowSpec.session(duration(w.get("session"), path + ".session"));
      }
      if (w.containsKey("sliding") && w.containsKey("every") && w.size() == 2) {
        return WindowSpec.sliding(
            duration(w.get("sliding"), path + ".sliding"),
            duration(w.get("every"), path + ".every"));
      }
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(file, line(node), path, e.getMessage());
    }
    throw new ScenarioException(
        file,
        line(node),
        path,
        "expected one of {fixed: D}, {sliding: D, every: D}, {session: D}; found " + w.keySet());
  }

  private static final Set<String> TRIGGER_KEYS =
      Set.of(
          "watermark",
          "after-count",
          "after-processing",
          "aligned-to",
          "on-tag",
          "repeat",
          "first",
          "all",
          "sequence",
          "until");

  private TriggerSpec trigger(Node node, String path) {
    if (node instanceof ScalarNode) {
      String text = scalar(node, path);
      return switch (text) {
        case "default" -> TriggerSpec.defaultTrigger();
        case "never" -> TriggerSpec.never();
        case "watermark" -> TriggerSpec.watermark();
        default ->
            throw new ScenarioException(
                file,
                line(node),
                path,
                "unknown trigger '"
                    + text
                    + "' (expected default, never, watermark, or a mapping such as"
                    + " {after-count: 3})");
      };
    }
    Map<String, Node> t = mapping(node, path, TRIGGER_KEYS);
    Set<String> main = new HashSet<>(t.keySet());
    main.remove("until");
    main.remove("aligned-to");
    if (main.size() != 1) {
      throw new ScenarioException(
          file,
          line(node),
          path,
          "a trigger has exactly one of watermark, after-count, after-processing, on-tag, repeat,"
              + " first, all, sequence; found "
              + main);
    }
    String kind = main.iterator().next();
    if (t.containsKey("aligned-to") && !kind.equals("after-processing")) {
      throw new ScenarioException(
          file, line(t.get("aligned-to")), path, "'aligned-to' belongs to after-processing");
    }
    Node arg = t.get(kind);
    String where = path + "." + kind;
    TriggerSpec spec;
    try {
      spec =
          switch (kind) {
            case "watermark" -> watermarkTrigger(arg, where);
            case "after-count" -> TriggerSpec.afterCount(count(arg, where));
            case "after-processing" -> {
              Duration delay = duration(arg, where);
              if (!t.containsKey("aligned-to")) {
                yield TriggerSpec.afterProcessing(delay);
              }
              Instant aligned = instant(t.get("aligned-to"), path + ".aligned-to", false);
              yield TriggerSpec.afterProcessingAligned(
                  delay, new org.joda.time.Instant(alignNotAfter(aligned, delay, start)));
            }
            case "on-tag" -> TriggerSpec.onTag(scalar(arg, where));
            case "repeat" -> TriggerSpec.repeat(trigger(arg, where));
            case "first" -> new TriggerSpec.First(triggerList(arg, where));
            case "all" -> new TriggerSpec.All(triggerList(arg, where));
            default -> new TriggerSpec.Sequence(triggerList(arg, where));
          };
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(file, line(arg), where, e.getMessage());
    }
    if (t.containsKey("until")) {
      spec = new TriggerSpec.Until(spec, trigger(t.get("until"), path + ".until"));
    }
    return spec;
  }

  private TriggerSpec watermarkTrigger(Node node, String path) {
    if (node instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null"))) {
      return TriggerSpec.watermark();
    }
    Map<String, Node> w = mapping(node, path, Set.of("early", "late"));
    TriggerSpec early = w.containsKey("early") ? trigger(w.get("early"), path + ".early") : null;
    TriggerSpec late = w.containsKey("late") ? trigger(w.get("late"), path + ".late") : null;
    return TriggerSpec.watermark(early, late);
  }

  private List<TriggerSpec> triggerList(Node node, String path) {
    SequenceNode seq = sequence(node, path);
    List<TriggerSpec> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(trigger(seq.getValue().get(i), path + "[" + i + "]"));
    }
    if (out.isEmpty()) {
      throw new ScenarioException(file, line(node), path, "an empty list of triggers");
    }
    return out;
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

  private int count(Node node, String path) {
    String text = scalar(node, path);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ScenarioException(
          file, line(node), path, "'" + text + "' is not a whole number of elements");
    }
  }

  private boolean fireAlways(Node node, String path) {
    String text = scalar(node, path);
    return switch (text) {
      case "fire-always" -> true;
      case "fire-if-non-empty" -> false;
      default ->
          throw new ScenarioException(
              file,
              line(node),
              path,
              "unknown behavior '" + text + "' (expected fire-always or fire-if-non-empty)");
    };
  }

  // ----- scalars -----

  private Duration duration(Node node, String path) {
    return parseWith(node, path, text -> BeamDurations.toJoda(Durations.parse(text)));
  }

  private <T> T parseWith(Node node, String path, java.util.function.Function<String, T> parse) {
    String text = scalar(node, path);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ScenarioException(file, line(node), path, e.getMessage());
    }
  }

  /**
   * A bare time of day {@code HH:MM[:SS[.mmm]]} on the scenario's day, or an ISO-8601 instant (a
   * date-time without offset is UTC).
   */
  private Instant instant(Node node, String path, boolean isStart) {
    String text = scalar(node, path);
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
      throw new ScenarioException(
          file,
          line(node),
          path,
          "'"
              + text
              + "' is not a time (expected HH:MM[:SS[.mmm]]"
              + (isStart ? "" : " on the start day")
              + " or an ISO-8601 instant such as 2026-01-01T12:00:00Z)");
    }
  }

  private String scalar(Node node, String path) {
    if (node instanceof ScalarNode s) {
      return s.getValue().strip();
    }
    throw new ScenarioException(
        file, line(node), path, "expected a single value, found a " + kind(node));
  }

  private SequenceNode sequence(Node node, String path) {
    if (node instanceof SequenceNode s) {
      return s;
    }
    throw new ScenarioException(file, line(node), path, "expected a list, found a " + kind(node));
  }

  /** The entries of a mapping, refusing keys outside {@code allowed}. */
  private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      throw new ScenarioException(
          file, line(node), path, "expected a mapping (key: value), found a " + kind(node));
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), path);
      String where = path.isEmpty() ? key : path + "." + key;
      if (!allowed.contains(key)) {
        throw new ScenarioException(
            file,
            line(t.getKeyNode()),
            where,
            "unknown key '"
                + key
                + "' (expected one of "
                + String.join(", ", sorted(allowed))
                + ")");
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw new ScenarioException(
            file, line(t.getKeyNode()), where, "duplicate key '" + key + "'");
      }
    }
    return out;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "value";
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static String baseName(String file) {
    String name = Path.of(file).getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
