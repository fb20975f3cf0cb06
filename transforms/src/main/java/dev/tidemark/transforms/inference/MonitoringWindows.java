package dev.tidemark.transforms.inference;

import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.joda.time.Duration;

/**
 * The windowing of the monitoring steps ({@link MonitorPredictions}, {@code
 * CompareChampionChallenger}), in one place: fixed event-time windows; an on-time pane when the
 * watermark passes the end of a window; then, within the allowed lateness, one late pane per late
 * element, discarding (a late pane reports only what arrived since, so late figures add to the
 * on-time ones instead of repeating them). Elements later than that are captured by the windowing
 * library with their window and the reason, never dropped silently.
 */
public final class MonitoringWindows {

  /** The trigger: on time, then a late pane per late element. */
  public static final String TRIGGER = "watermark(late=count(1))";

  private MonitoringWindows() {}

  /** Windows of {@code size}, open for {@code allowedLateness} after their end. */
  public static WindowingPolicy of(Duration size, Duration allowedLateness) {
    return WindowingPolicy.of(WindowSpec.fixed(size))
        .withTrigger(TriggerSpec.parse(TRIGGER))
        .withAccumulation(Accumulation.DISCARDING)
        .withAllowedLateness(allowedLateness);
  }
}
