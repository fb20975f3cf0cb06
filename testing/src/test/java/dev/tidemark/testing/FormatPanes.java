package dev.tidemark.testing;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * The golden pane formatter: renders each element with its window, timestamp and pane metadata on
 * one line, so that a semantics regression reads as a text diff. Example:
 *
 * <pre>
 * [12:00:00, 12:10:00) @12:09:59.999 EARLY   index=0 onTime=-1 first      TeamX=7
 * [12:00:00, 12:10:00) @12:09:59.999 ON_TIME index=2 onTime=0  last       TeamX=-14
 * </pre>
 *
 * Values print with {@code toString()}; a {@code KV} prints as {@code key=value}, so a retraction
 * ({@code Change}) prints as {@code key=-value}. Times print as UTC times of day.
 */
public final class FormatPanes<T> extends PTransform<PCollection<T>, PCollection<String>> {

  private FormatPanes() {}

  /** Formats every element of a windowed collection as one golden line. */
  public static <T> FormatPanes<T> asLines() {
    return new FormatPanes<>();
  }

  @Override
  public PCollection<String> expand(PCollection<T> input) {
    return input.apply("FormatPaneLine", ParDo.of(new FormatPaneLineFn<T>()));
  }

  /** One line for one element: window, timestamp, timing, index, on-time index, first/last. */
  public static String line(Object value, Instant timestamp, BoundedWindow window, PaneInfo pane) {
    String flags =
        (pane.isFirst() ? "first" : "")
            + (pane.isFirst() && pane.isLast() ? "+" : "")
            + (pane.isLast() ? "last" : "");
    return String.format(
        "%s @%s %-7s index=%d onTime=%-2d %-10s %s",
        window(window),
        time(timestamp),
        pane.getTiming(),
        pane.getIndex(),
        pane.getNonSpeculativeIndex(),
        flags,
        value(value));
  }

  /** {@code [start, end)} with times of day, or {@code global}. */
  public static String window(BoundedWindow window) {
    if (window instanceof GlobalWindow) {
      return "global";
    }
    IntervalWindow w = (IntervalWindow) window;
    return "[" + time(w.start()) + ", " + time(w.end()) + ")";
  }

  private static final DateTimeFormatter SECONDS =
      DateTimeFormat.forPattern("HH:mm:ss").withZone(DateTimeZone.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormat.forPattern("HH:mm:ss.SSS").withZone(DateTimeZone.UTC);

  /** A UTC time of day, with milliseconds only when they are not zero. */
  public static String time(Instant t) {
    if (!t.isBefore(GlobalWindow.INSTANCE.maxTimestamp())) {
      return "+inf";
    }
    if (!t.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      return "-inf";
    }
    return (t.getMillis() % 1000 == 0 ? SECONDS : MILLIS).print(t);
  }

  private static String value(Object v) {
    if (v instanceof KV<?, ?> kv) {
      return kv.getKey() + "=" + kv.getValue();
    }
    return String.valueOf(v);
  }

  /** Renders each element with {@link #line}. */
  static final class FormatPaneLineFn<T> extends DoFn<T, String> {
    @ProcessElement
    public void processElement(
        @Element T element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      out.output(line(element, timestamp, window, pane));
    }
  }
}
