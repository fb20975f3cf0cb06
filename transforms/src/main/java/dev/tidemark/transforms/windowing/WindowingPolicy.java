package dev.tidemark.transforms.windowing;

import dev.tidemark.core.time.Durations;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;
import org.joda.time.Duration;

/**
 * A complete windowing policy: where ({@link WindowSpec}), when ({@link TriggerSpec}), how ({@link
 * Accumulation}), how late data may be ({@code allowedLateness}), and whether the on-time and the
 * closing pane fire when empty. Defaults are Beam's: default trigger, discarding, zero allowed
 * lateness, on-time pane always, closing pane only if non-empty.
 *
 * <p>{@link #toWindow()} and {@link #toWindowingStrategy()} give exactly Beam's semantics;
 * retracting accumulation runs the window accumulating (the retractions are derived downstream).
 */
public record WindowingPolicy(
    WindowSpec window,
    TriggerSpec trigger,
    Accumulation accumulation,
    Duration allowedLateness,
    OnTimeBehavior onTimeBehavior,
    ClosingBehavior closingBehavior)
    implements Serializable {

  public WindowingPolicy {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(accumulation, "accumulation");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    Objects.requireNonNull(onTimeBehavior, "onTimeBehavior");
    Objects.requireNonNull(closingBehavior, "closingBehavior");
  }

  /** Beam's defaults in {@code window}: default trigger, discarding, no allowed lateness. */
  public static WindowingPolicy of(WindowSpec window) {
    return new WindowingPolicy(
        window,
        TriggerSpec.defaultTrigger(),
        Accumulation.DISCARDING,
        Duration.ZERO,
        OnTimeBehavior.FIRE_ALWAYS,
        ClosingBehavior.FIRE_IF_NON_EMPTY);
  }

  public WindowingPolicy withTrigger(TriggerSpec t) {
    return new WindowingPolicy(
        window, t, accumulation, allowedLateness, onTimeBehavior, closingBehavior);
  }

  public WindowingPolicy withAccumulation(Accumulation a) {
    return new WindowingPolicy(
        window, trigger, a, allowedLateness, onTimeBehavior, closingBehavior);
  }

  public WindowingPolicy withAllowedLateness(Duration d) {
    return new WindowingPolicy(window, trigger, accumulation, d, onTimeBehavior, closingBehavior);
  }

  public WindowingPolicy withOnTimeBehavior(OnTimeBehavior b) {
    return new WindowingPolicy(window, trigger, accumulation, allowedLateness, b, closingBehavior);
  }

  public WindowingPolicy withClosingBehavior(ClosingBehavior b) {
    return new WindowingPolicy(window, trigger, accumulation, allowedLateness, onTimeBehavior, b);
  }

  /** The accumulation mode Beam runs: retracting runs accumulating. */
  public AccumulationMode beamAccumulationMode() {
    return accumulation == Accumulation.DISCARDING
        ? AccumulationMode.DISCARDING_FIRED_PANES
        : AccumulationMode.ACCUMULATING_FIRED_PANES;
  }

  /** Whether Beam's own trigger machinery can run this policy (no data-driven trigger). */
  public boolean runsOnBeamTriggers() {
    return !trigger.isDataDriven();
  }

  /** Beam's {@code Window} transform for this policy, over the spec's window function. */
  public <T> Window<T> toWindow() {
    WindowFn<T, ? extends BoundedWindow> fn = window.toWindowFn();
    return configure(Window.into(fn));
  }

  /**
   * Beam's {@code Window} transform for this policy over another window function with the same
   * windows (Tidemark's late-data capture assigns windows itself and keeps them).
   */
  public <T> Window<T> toWindow(WindowFn<T, ? extends BoundedWindow> fn) {
    return configure(Window.into(fn));
  }

  private <T> Window<T> configure(Window<T> w) {
    Window<T> t =
        w.triggering(trigger.toBeam())
            .withAllowedLateness(allowedLateness, closingBehavior)
            .withOnTimeBehavior(onTimeBehavior);
    return accumulation == Accumulation.DISCARDING
        ? t.discardingFiredPanes()
        : t.accumulatingFiredPanes();
  }

  /** Beam's {@link WindowingStrategy} for this policy. */
  public WindowingStrategy<?, ?> toWindowingStrategy() {
    return WindowingStrategy.of(window.toWindowFn())
        .withTrigger(trigger.toBeam())
        .withMode(beamAccumulationMode())
        .withAllowedLateness(allowedLateness)
        .withClosingBehavior(closingBehavior)
        .withOnTimeBehavior(onTimeBehavior);
  }

  @Override
  public String toString() {
    return "window="
        + window
        + " trigger="
        + trigger
        + " accumulation="
        + accumulation
        + " allowed-lateness="
        + Durations.format(BeamDurations.toJava(allowedLateness))
        + " on-time="
        + onTimeBehavior
        + " closing="
        + closingBehavior;
  }
}
