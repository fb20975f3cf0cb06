package dev.tidemark.pipelines.play;

import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.time.Instant;
import java.util.List;

/**
 * A parsed, validated scenario: a stream script in processing-time order and the pipeline it runs
 * through. Instants are absolute (UTC); processing time starts at {@link #start()}.
 *
 * @param file the file it came from, for messages
 * @param name its name (the file name when the file has none)
 * @param start the clock origin: bare times of day are on its day, processing time starts here
 * @param steps the stream script; the last step is always a watermark move to the end of time
 * @param bounded whether the input was given as bounded {@code events:} instead of {@code stream:}
 * @param policy window, trigger, accumulation, allowed lateness, on-time and closing behaviour
 * @param combine how the values of a pane are combined
 * @param triggerLine the line of {@code trigger:} in the file (0 when absent), for Beam's refusals
 */
public record Scenario(
    String file,
    String name,
    Instant start,
    List<Step> steps,
    boolean bounded,
    WindowingPolicy policy,
    ScenarioCombineFn.Kind combine,
    int triggerLine) {

  public Scenario {
    steps = List.copyOf(steps);
  }

  /** One step of the stream script. */
  public sealed interface Step {}

  /**
   * Advances the input watermark.
   *
   * @param to the new watermark, or null for the end of time (infinity)
   */
  public record AdvanceWatermark(Instant to) implements Step {
    /** Whether this moves the watermark to infinity. */
    public boolean isEnd() {
      return to == null;
    }
  }

  /** Advances processing time to an instant (never backwards). */
  public record AdvanceProcessingTime(Instant to) implements Step {}

  /** Adds elements, all arriving at the current processing time. */
  public record AddEvents(List<Event> events) implements Step {
    public AddEvents {
      events = List.copyOf(events);
    }
  }

  /**
   * One input element.
   *
   * @param key the grouping key
   * @param value a {@link java.math.BigDecimal} or a {@link String}
   * @param time its event time
   * @param tag an optional tag, for {@code on-tag} triggers (or null)
   */
  public record Event(String key, Object value, Instant time, String tag) {}
}
