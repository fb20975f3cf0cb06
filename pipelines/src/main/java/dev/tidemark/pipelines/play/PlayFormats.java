package dev.tidemark.pipelines.play;

import dev.tidemark.core.time.Durations;
import dev.tidemark.transforms.windowing.BeamDurations;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The printed forms of a scenario's records: JSON lines (the contract of issue 4, one object per
 * record) and a table grouped by key and window for a terminal. Times print as {@code HH:MM:SS}
 * (plus {@code .mmm} when needed) on the scenario's start day, else as ISO-8601 instants.
 */
public final class PlayFormats {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private PlayFormats() {}

  /** {@code 12:04:30} on {@code day}, {@code 12:04:30.250} with milliseconds, else ISO-8601. */
  public static String time(Instant t, LocalDate day) {
    if (!t.atZone(ZoneOffset.UTC).toLocalDate().equals(day)) {
      return t.toString();
    }
    return (t.toEpochMilli() % 1000 == 0 ? SECONDS : MILLIS).format(t);
  }

  /** A value as a JSON literal: numbers plain ({@code 14}, {@code 4.5}), strings quoted. */
  public static String jsonValue(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof BigDecimal n) {
      return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
    }
    return jsonString(value.toString());
  }

  /** A JSON string literal. */
  public static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String jsonWindow(PlayRecord r, LocalDate day) {
    return r.isGlobal()
        ? "\"global\""
        : "{\"start\":"
            + jsonString(time(r.windowStart(), day))
            + ",\"end\":"
            + jsonString(time(r.windowEnd(), day))
            + "}";
  }

  /** One record as one JSON object, fields in the order of the contract. */
  public static String jsonLine(PlayRecord r, LocalDate day) {
    String head = "{\"kind\":\"" + r.kind() + "\",\"key\":" + jsonString(r.key());
    return switch (r.kind()) {
      case PANE ->
          head
              + ",\"window\":"
              + jsonWindow(r, day)
              + ",\"value\":"
              + r.value()
              + ",\"timing\":\""
              + r.timing()
              + "\",\"index\":"
              + r.index()
              + ",\"onTimeIndex\":"
              + r.onTimeIndex()
              + ",\"first\":"
              + r.first()
              + ",\"last\":"
              + r.last()
              + "}";
      case RETRACTION ->
          head + ",\"window\":" + jsonWindow(r, day) + ",\"value\":" + r.value() + "}";
      case DROPPED ->
          head
              + ",\"value\":"
              + r.value()
              + ",\"time\":"
              + jsonString(time(r.eventTime(), day))
              + ",\"window\":"
              + jsonWindow(r, day)
              + "}";
    };
  }

  /** All records as JSON lines, in emitted order. */
  public static List<String> jsonl(List<PlayRecord> records, LocalDate day) {
    return records.stream().map(r -> jsonLine(r, day)).toList();
  }

  /** The scenario's start day, the day bare times print on. */
  public static LocalDate day(Scenario s) {
    return s.start().atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** A one-line summary of the scenario's pipeline. */
  public static String summary(Scenario s) {
    return s.policy() + " combine=" + s.combine() + (s.bounded() ? " input=bounded" : "");
  }

  /** The pipeline in a few words, leaving out what is Beam's default (for the diagram's title). */
  public static String shortSummary(Scenario s) {
    var p = s.policy();
    List<String> parts = new ArrayList<>();
    parts.add(p.window().toString());
    parts.add("trigger " + p.trigger());
    parts.add(p.accumulation().toString());
    if (p.allowedLateness().getMillis() != 0) {
      parts.add("allowed lateness " + Durations.format(BeamDurations.toJava(p.allowedLateness())));
    }
    if (p.onTimeBehavior()
        != org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior.FIRE_ALWAYS) {
      parts.add("on-time " + p.onTimeBehavior());
    }
    if (p.closingBehavior()
        != org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior.FIRE_IF_NON_EMPTY) {
      parts.add("closing " + p.closingBehavior());
    }
    parts.add("combine " + s.combine());
    if (s.bounded()) {
      parts.add("bounded input");
    }
    return String.join(" · ", parts);
  }

  /**
   * A table with one row per record, grouped by key and window (in window order), each group in
   * emitted order, under a title line with the scenario's name and pipeline.
   */
  public static List<String> table(Scenario s, List<PlayRecord> records) {
    LocalDate day = day(s);
    List<PlayRecord> sorted = new ArrayList<>(records);
    Comparator<Instant> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
    sorted.sort(
        Comparator.comparing(PlayRecord::key)
            .thenComparing(PlayRecord::windowStart, nullsFirst)
            .thenComparing(PlayRecord::windowEnd, nullsFirst)
            .thenComparing(PlayRecord.EMITTED_ORDER));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"key", "window", "emitted", "what", "index", "on-time", "", "value"});
    String lastGroup = null;
    for (PlayRecord r : sorted) {
      String window =
          r.isGlobal()
              ? "global"
              : "[" + time(r.windowStart(), day) + ", " + time(r.windowEnd(), day) + ")";
      String group = r.key() + " " + window;
      boolean sameGroup = group.equals(lastGroup);
      lastGroup = group;
      String what =
          switch (r.kind()) {
            case PANE -> r.timing() + " pane";
            case RETRACTION -> "retraction";
            case DROPPED -> "dropped @" + time(r.eventTime(), day);
          };
      boolean pane = r.kind() == PlayRecord.Kind.PANE;
      String flags =
          pane
              ? (r.first() ? "first" : "")
                  + (r.first() && r.last() ? "+" : "")
                  + (r.last() ? "last" : "")
              : "";
      String value = r.kind() == PlayRecord.Kind.RETRACTION ? "-" + r.value() : r.value();
      rows.add(
          new String[] {
            sameGroup ? "" : r.key(),
            sameGroup ? "" : window,
            time(r.processingTime(), day),
            what,
            pane ? Long.toString(r.index()) : "",
            pane ? Long.toString(r.onTimeIndex()) : "",
            flags,
            value
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    out.add("== " + s.name() + ": " + summary(s) + " ==");
    for (String[] row : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i == 4 || i == 5;
        String cell = numeric ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        b.append(cell).append(i < row.length - 1 ? "  " : "");
      }
      out.add(b.toString().stripTrailing());
    }
    if (records.isEmpty()) {
      out.add("(nothing fired)");
    }
    return out;
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }
}
