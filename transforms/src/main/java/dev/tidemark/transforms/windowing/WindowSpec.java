package dev.tidemark.transforms.windowing;

import dev.tidemark.core.time.Durations;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.Duration;

/**
 * Where in event time results are computed: fixed (tumbling), sliding, session or global windows.
 *
 * <p>Text form, for options and files, round-tripping through {@link #parse} and {@link #toString}:
 * {@code global}, {@code fixed:5m}, {@code sliding:10m/5m} (size / period), {@code session:5m}
 * (gap).
 *
 * @param kind the kind of window
 * @param size the window size (fixed, sliding) or the gap duration (session); zero for global
 * @param period how often a sliding window starts; zero for the other kinds
 */
public record WindowSpec(Kind kind, Duration size, Duration period) implements Serializable {

  /** The kinds of window of the Dataflow model. */
  public enum Kind {
    GLOBAL,
    FIXED,
    SLIDING,
    SESSION
  }

  public WindowSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(period, "period");
    if (kind != Kind.GLOBAL && !size.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          kind.name().toLowerCase() + " windows need a positive size");
    }
    if (kind == Kind.SLIDING
        && (!period.isLongerThan(Duration.ZERO) || period.isLongerThan(size))) {
      throw new IllegalArgumentException(
          "sliding windows need 0 < period <= size, got size "
              + Durations.format(BeamDurations.toJava(size))
              + " and period "
              + Durations.format(BeamDurations.toJava(period)));
    }
  }

  /** The single window holding all of event time. */
  public static WindowSpec global() {
    return new WindowSpec(Kind.GLOBAL, Duration.ZERO, Duration.ZERO);
  }

  /** Tumbling windows of {@code size}. */
  public static WindowSpec fixed(Duration size) {
    return new WindowSpec(Kind.FIXED, size, Duration.ZERO);
  }

  /** Windows of {@code size} starting every {@code period} (they overlap when period < size). */
  public static WindowSpec sliding(Duration size, Duration period) {
    return new WindowSpec(Kind.SLIDING, size, period);
  }

  /** Per-key sessions closed after {@code gap} without an event. */
  public static WindowSpec session(Duration gap) {
    return new WindowSpec(Kind.SESSION, gap, Duration.ZERO);
  }

  /** Parses the text form ({@code global}, {@code fixed:5m}, {@code sliding:10m/5m}, ...). */
  public static WindowSpec parse(String text) {
    String t = text.strip();
    if (t.equals("global")) {
      return global();
    }
    int colon = t.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "not a window: '"
              + text
              + "' (expected global, fixed:SIZE, sliding:SIZE/PERIOD or session:GAP)");
    }
    String kind = t.substring(0, colon);
    String arg = t.substring(colon + 1);
    return switch (kind) {
      case "fixed" -> fixed(BeamDurations.toJoda(Durations.parse(arg)));
      case "session" -> session(BeamDurations.toJoda(Durations.parse(arg)));
      case "sliding" -> {
        int slash = arg.indexOf('/');
        if (slash < 0) {
          throw new IllegalArgumentException(
              "sliding windows need SIZE/PERIOD, e.g. sliding:10m/5m, got '" + text + "'");
        }
        yield sliding(
            BeamDurations.toJoda(Durations.parse(arg.substring(0, slash))),
            BeamDurations.toJoda(Durations.parse(arg.substring(slash + 1))));
      }
      default ->
          throw new IllegalArgumentException(
              "unknown window kind '" + kind + "' (expected global, fixed, sliding or session)");
    };
  }

  /** Beam's {@link WindowFn} for this spec. */
  @SuppressWarnings("unchecked")
  public <T> WindowFn<T, ? extends BoundedWindow> toWindowFn() {
    WindowFn<?, ?> fn =
        switch (kind) {
          case GLOBAL -> new GlobalWindows();
          case FIXED -> FixedWindows.of(size);
          case SLIDING -> SlidingWindows.of(size).every(period);
          case SESSION -> Sessions.withGapDuration(size);
        };
    return (WindowFn<T, ? extends BoundedWindow>) fn;
  }

  /** Whether windows of this kind merge (sessions do). */
  public boolean isMerging() {
    return kind == Kind.SESSION;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case GLOBAL -> "global";
      case FIXED -> "fixed:" + Durations.format(BeamDurations.toJava(size));
      case SLIDING ->
          "sliding:"
              + Durations.format(BeamDurations.toJava(size))
              + "/"
              + Durations.format(BeamDurations.toJava(period));
      case SESSION -> "session:" + Durations.format(BeamDurations.toJava(size));
    };
  }
}
