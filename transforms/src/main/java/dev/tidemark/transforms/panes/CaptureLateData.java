package dev.tidemark.transforms.panes;

import dev.tidemark.core.time.Durations;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.BeamDurations;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Assigns keyed elements to windows and captures, instead of dropping, those that arrive after
 * their window expired (the input watermark passed the window's end plus the allowed lateness).
 *
 * <p>Beam drops such elements silently at the next {@code GroupByKey} (counter {@code
 * droppedDueToLateness}). This transform makes the same decision, with the same rule, one step
 * earlier: in the global window (which never expires, so the runner drops nothing), a stateful step
 * reads the input watermark, assigns each element its windows and routes every (element, window)
 * pair either to {@link #onTime()} — in that window, ready for a {@code GroupByKey} under the same
 * window function, which then drops nothing — or to {@link #late()} as a {@link LateElement} with
 * the reason. Invariant: (element, window) pairs in = on time + late.
 *
 * <p>Outputs, by tag: {@link #onTime()} keyed elements in their assigned windows (window function
 * {@link PreassignedWindows} over the given one); {@link #late()} the captured late elements.
 */
public final class CaptureLateData<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollectionTuple> {

  private final WindowFn<?, ? extends BoundedWindow> windowFn;
  private final Duration allowedLateness;
  private final TupleTag<KV<K, V>> onTime = new TupleTag<>() {};
  private final TupleTag<LateElement<KV<K, V>>> late = new TupleTag<>() {};

  private CaptureLateData(WindowFn<?, ? extends BoundedWindow> windowFn, Duration allowedLateness) {
    this.windowFn = windowFn;
    this.allowedLateness = allowedLateness;
  }

  /** Windows elements with {@code windowFn}; elements are late once the window's end passed. */
  public static <K, V> CaptureLateData<K, V> into(WindowFn<?, ? extends BoundedWindow> windowFn) {
    return new CaptureLateData<>(windowFn, Duration.ZERO);
  }

  /** Elements stay on time until the watermark passes the window's end plus {@code lateness}. */
  public CaptureLateData<K, V> withAllowedLateness(Duration lateness) {
    return new CaptureLateData<>(windowFn, lateness);
  }

  /** Tag of the elements on time, in their windows. */
  public TupleTag<KV<K, V>> onTime() {
    return onTime;
  }

  /** Tag of the captured late elements. */
  public TupleTag<LateElement<KV<K, V>>> late() {
    return late;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<K, V>> input) {
    @SuppressWarnings("unchecked")
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    PCollectionTuple routed =
        input
            .apply("RewindowGlobally", Window.<KV<K, V>>into(new GlobalWindows()))
            .apply(
                "RouteByLateness",
                ParDo.of(new RouteByLatenessFn<K, V>(windowFn, allowedLateness, onTime, late))
                    .withOutputTags(onTime, TupleTagList.of(late)));
    routed.get(late).setCoder(LateElement.coder(coder));
    // The routing step emits into the assigned windows: its output carries their window function
    // (and so their window coder), although its input was in the global window.
    PCollection<KV<K, V>> windowed = routed.get(onTime).setCoder(coder);
    windowed.setWindowingStrategyInternal(
        WindowingStrategy.of(PreassignedWindows.<KV<K, V>, BoundedWindow>of(castFn(windowFn))));
    return PCollectionTuple.of(onTime, windowed).and(late, routed.get(late));
  }

  @SuppressWarnings("unchecked")
  private static <T> WindowFn<T, ? extends BoundedWindow> castFn(WindowFn<?, ?> fn) {
    return (WindowFn<T, ? extends BoundedWindow>) fn;
  }

  /** Whether {@code window} has expired at {@code watermark}: Beam's own dropping rule. */
  static boolean isExpired(BoundedWindow window, Duration allowedLateness, Instant watermark) {
    if (window instanceof GlobalWindow) {
      return false;
    }
    return window.maxTimestamp().plus(allowedLateness).isBefore(watermark);
  }

  /** Why an element of {@code window} is late at {@code watermark}, in words. */
  static String reason(BoundedWindow window, Duration allowedLateness, Instant watermark) {
    return "window "
        + window
        + " expired at "
        + window.maxTimestamp().plus(allowedLateness)
        + " (end + "
        + Durations.format(BeamDurations.toJava(allowedLateness))
        + " allowed lateness); watermark was "
        + watermark;
  }

  /** The windows {@code fn} assigns to an element with this timestamp. */
  static <T, W extends BoundedWindow> Collection<W> assignWindows(
      WindowFn<T, W> fn, T element, Instant timestamp) {
    try {
      return fn.assignWindows(
          fn.new AssignContext() {
            @Override
            public T element() {
              return element;
            }

            @Override
            public Instant timestamp() {
              return timestamp;
            }

            @Override
            public BoundedWindow window() {
              return GlobalWindow.INSTANCE;
            }
          });
    } catch (Exception e) {
      throw new IllegalStateException("window function " + fn + " failed on " + element, e);
    }
  }

  /**
   * Reads the input watermark (an event-time timer's current relative time is the input watermark),
   * assigns windows and routes each (element, window) pair by lateness.
   */
  static final class RouteByLatenessFn<K, V> extends DoFn<KV<K, V>, KV<K, V>> {
    private static final String WATERMARK = "watermark";

    @TimerId(WATERMARK)
    private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final Counter onTimeCount = Metrics.counter(CaptureLateData.class, "elementsOnTime");
    private final Counter lateCount =
        Metrics.counter(CaptureLateData.class, "lateElementsCaptured");
    private final WindowFn<?, ? extends BoundedWindow> windowFn;
    private final Duration allowedLateness;
    private final TupleTag<KV<K, V>> onTime;
    private final TupleTag<LateElement<KV<K, V>>> late;

    RouteByLatenessFn(
        WindowFn<?, ? extends BoundedWindow> windowFn,
        Duration allowedLateness,
        TupleTag<KV<K, V>> onTime,
        TupleTag<LateElement<KV<K, V>>> late) {
      this.windowFn = windowFn;
      this.allowedLateness = allowedLateness;
      this.onTime = onTime;
      this.late = late;
    }

    @ProcessElement
    public void processElement(
        @Element KV<K, V> element,
        @Timestamp Instant timestamp,
        @TimerId(WATERMARK) Timer watermarkTimer,
        MultiOutputReceiver out) {
      Instant watermark = watermarkTimer.getCurrentRelativeTime();
      for (BoundedWindow window : assignWindows(castFn(windowFn), element, timestamp)) {
        if (isExpired(window, allowedLateness, watermark)) {
          out.get(late)
              .output(
                  LateElement.of(
                      element,
                      timestamp,
                      window,
                      watermark,
                      reason(window, allowedLateness, watermark)));
          lateCount.inc();
        } else {
          out.get(onTime)
              .outputWindowedValue(element, timestamp, List.of(window), PaneInfo.NO_FIRING);
          onTimeCount.inc();
        }
      }
    }

    @OnTimer(WATERMARK)
    public void onWatermark() {
      // Never set: the timer exists only to read the input watermark.
    }
  }
}
