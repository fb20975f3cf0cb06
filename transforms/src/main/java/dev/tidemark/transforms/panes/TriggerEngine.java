package dev.tidemark.transforms.panes;

import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
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
 * Tidemark's own trigger engine: a per-key windowed aggregation in one stateful step, for policies
 * whose trigger Beam cannot run (data-driven triggers). It assigns and merges windows (fixed,
 * sliding, sessions, global), accumulates with the {@link CombineFn}, fires per {@link
 * TriggerMachine}, and emits each pane into its window with a real {@link PaneInfo} (timing, index,
 * on-time index, first/last) computed by Beam's rules, so that {@code PAssert}'s pane matchers work
 * downstream. Elements for expired or closed windows go to the late output.
 *
 * <p>Outputs, by tag: {@link #panesTag()} {@code KV<key, output>} per pane; {@link #lateTag()} the
 * captured late elements.
 */
final class TriggerEngine<K, V, O> extends PTransform<PCollection<KV<K, V>>, PCollectionTuple> {

  private static final TupleTag<?> PANES = new TupleTag<>("panes");
  private static final TupleTag<?> LATE = new TupleTag<>("late");

  private final WindowingPolicy policy;
  private final CombineFn<V, ?, O> combineFn;

  private TriggerEngine(WindowingPolicy policy, CombineFn<V, ?, O> combineFn) {
    this.policy = policy;
    this.combineFn = combineFn;
  }

  static <K, V, O> TriggerEngine<K, V, O> of(WindowingPolicy policy, CombineFn<V, ?, O> combineFn) {
    TriggerMachine.compile(policy.trigger()); // fail at construction on unsupported triggers
    return new TriggerEngine<>(policy, combineFn);
  }

  @SuppressWarnings("unchecked")
  static <K, O> TupleTag<KV<K, O>> panesTag() {
    return (TupleTag<KV<K, O>>) PANES;
  }

  @SuppressWarnings("unchecked")
  static <K, V> TupleTag<LateElement<KV<K, V>>> lateTag() {
    return (TupleTag<LateElement<KV<K, V>>>) LATE;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<K, V>> input) {
    return expandWith(input, combineFn);
  }

  private <A> PCollectionTuple expandWith(PCollection<KV<K, V>> input, CombineFn<V, A, O> fn) {
    @SuppressWarnings("unchecked")
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<A> accumulatorCoder;
    Coder<O> outputCoder;
    try {
      accumulatorCoder = fn.getAccumulatorCoder(registry, coder.getValueCoder());
      outputCoder = fn.getDefaultOutputCoder(registry, coder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no coder for the combine function's accumulator/output", e);
    }
    WindowFn<Object, BoundedWindow> windowFn = castWindowFn(policy.window().toWindowFn());
    @SuppressWarnings("unchecked")
    Coder<BoundedWindow> windowCoder = (Coder<BoundedWindow>) windowFn.windowCoder();
    PCollectionTuple out =
        input
            .apply("RewindowGlobally", Window.<KV<K, V>>into(new GlobalWindows()))
            .apply(
                "FirePanes",
                ParDo.of(
                        new FirePanesFn<K, V, A, O>(
                            policy,
                            fn,
                            windowFn,
                            new WindowStateCoder<>(accumulatorCoder),
                            windowCoder))
                    .withOutputTags(panesTag(), TupleTagList.of(lateTag())));
    PCollection<KV<K, O>> panes = out.get(TriggerEngine.<K, O>panesTag());
    panes.setCoder(KvCoder.of(coder.getKeyCoder(), outputCoder));
    panes.setWindowingStrategyInternal(
        WindowingStrategy.of(PreassignedWindows.of(windowFn))
            .withMode(policy.beamAccumulationMode())
            .withAllowedLateness(policy.allowedLateness())
            .withClosingBehavior(policy.closingBehavior())
            .withOnTimeBehavior(policy.onTimeBehavior()));
    out.get(TriggerEngine.<K, V>lateTag()).setCoder(LateElement.coder(coder));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static WindowFn<Object, BoundedWindow> castWindowFn(WindowFn<?, ?> fn) {
    return (WindowFn<Object, BoundedWindow>) fn;
  }

  /** State of one window of one key. */
  static final class WindowState<A> {
    A accumulator;
    long paneIndex = -1;
    long nonSpeculativeIndex = -1;
    int lastTiming = -1; // -1 none, else Timing.ordinal()
    long elementsInPane;
    boolean closed;
    long[] trigger;

    Timing previousTiming() {
      return lastTiming < 0 ? null : Timing.values()[lastTiming];
    }
  }

  /** Coder of {@link WindowState}. */
  static final class WindowStateCoder<A> extends CustomCoder<WindowState<A>> {
    private final Coder<A> accumulatorCoder;

    WindowStateCoder(Coder<A> accumulatorCoder) {
      this.accumulatorCoder = accumulatorCoder;
    }

    @Override
    public void encode(WindowState<A> s, OutputStream out) throws IOException {
      accumulatorCoder.encode(s.accumulator, out);
      VarLongCoder c = VarLongCoder.of();
      c.encode(s.paneIndex + 1, out);
      c.encode(s.nonSpeculativeIndex + 1, out);
      c.encode((long) s.lastTiming + 1, out);
      c.encode(s.elementsInPane, out);
      c.encode(s.closed ? 1L : 0L, out);
      c.encode((long) s.trigger.length, out);
      for (long v : s.trigger) {
        c.encode(v + 1, out);
      }
    }

    @Override
    public WindowState<A> decode(InputStream in) throws IOException {
      WindowState<A> s = new WindowState<>();
      s.accumulator = accumulatorCoder.decode(in);
      VarLongCoder c = VarLongCoder.of();
      s.paneIndex = c.decode(in) - 1;
      s.nonSpeculativeIndex = c.decode(in) - 1;
      s.lastTiming = (int) (c.decode(in) - 1);
      s.elementsInPane = c.decode(in);
      s.closed = c.decode(in) == 1L;
      s.trigger = new long[(int) (long) c.decode(in)];
      for (int i = 0; i < s.trigger.length; i++) {
        s.trigger[i] = c.decode(in) - 1;
      }
      return s;
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(accumulatorCoder);
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** The engine: per key, the state of every live window, and one timer per window. */
  static final class FirePanesFn<K, V, A, O> extends DoFn<KV<K, V>, KV<K, O>> {
    private static final String WINDOWS = "windows";
    private static final String EVENT_TIMERS = "eventTimers";
    private static final String PROCESSING_TIMERS = "processingTimers";
    private static final String WATERMARK = "watermark";
    private static final String CLOCK = "clock";

    @StateId(WINDOWS)
    private final StateSpec<MapState<BoundedWindow, WindowState<A>>> windowsSpec;

    @TimerFamily(EVENT_TIMERS)
    private final TimerSpec eventTimersSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    @TimerFamily(PROCESSING_TIMERS)
    private final TimerSpec processingTimersSpec = TimerSpecs.timerMap(TimeDomain.PROCESSING_TIME);

    @TimerId(WATERMARK)
    private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId(CLOCK)
    private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final Counter panesFired = Metrics.counter(TriggerEngine.class, "panesFired");
    private final Counter lateCaptured =
        Metrics.counter(TriggerEngine.class, "lateElementsCaptured");

    private final WindowingPolicy policy;
    private final CombineFn<V, A, O> combineFn;
    private final WindowFn<Object, BoundedWindow> windowFn;
    private final TriggerMachine machine;
    private final Duration allowedLateness;

    FirePanesFn(
        WindowingPolicy policy,
        CombineFn<V, A, O> combineFn,
        WindowFn<Object, BoundedWindow> windowFn,
        WindowStateCoder<A> stateCoder,
        Coder<BoundedWindow> windowCoder) {
      this.policy = policy;
      this.combineFn = combineFn;
      this.windowFn = windowFn;
      this.machine = TriggerMachine.compile(policy.trigger());
      this.allowedLateness = policy.allowedLateness();
      this.windowsSpec = StateSpecs.map(windowCoder, stateCoder);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      // Panes carry the end of their window as timestamp, which may be behind the element or timer
      // that fires them here in the global window (late panes, processing-time firings).
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void processElement(
        @Element KV<K, V> element,
        @Timestamp Instant timestamp,
        @StateId(WINDOWS) MapState<BoundedWindow, WindowState<A>> windows,
        @TimerFamily(EVENT_TIMERS) TimerMap eventTimers,
        @TimerFamily(PROCESSING_TIMERS) TimerMap processingTimers,
        @TimerId(WATERMARK) Timer watermarkProbe,
        @TimerId(CLOCK) Timer clock,
        MultiOutputReceiver out) {
      Instant watermark = watermarkProbe.getCurrentRelativeTime();
      Instant now = clock.getCurrentRelativeTime();
      K key = element.getKey();
      for (BoundedWindow assigned : CaptureLateData.assignWindows(windowFn, element, timestamp)) {
        if (CaptureLateData.isExpired(assigned, allowedLateness, watermark)) {
          capture(
              out,
              element,
              timestamp,
              assigned,
              watermark,
              CaptureLateData.reason(assigned, allowedLateness, watermark));
          continue;
        }
        BoundedWindow window = assigned;
        WindowState<A> state = windows.get(window).read();
        if (!windowFn.isNonMerging()) {
          KV<BoundedWindow, WindowState<A>> merged =
              mergeInto((IntervalWindow) assigned, windows, eventTimers, processingTimers);
          window = merged.getKey();
          state = merged.getValue();
        }
        if (state != null && state.closed) {
          capture(
              out,
              element,
              timestamp,
              window,
              watermark,
              "window " + window + " is closed: its trigger finished before this element arrived");
          continue;
        }
        if (state == null) {
          state = new WindowState<>();
          state.accumulator = combineFn.createAccumulator();
          state.trigger = machine.newState();
        }
        state.accumulator = combineFn.addInput(state.accumulator, element.getValue());
        state.elementsInPane++;
        Instant wakeAt = machine.onElement(state.trigger, element.getValue(), now);
        TriggerMachine.Ctx ctx = new TriggerMachine.Ctx(watermark, window.maxTimestamp(), now);
        boolean removed = false;
        if (machine.shouldFire(state.trigger, ctx)) {
          removed = fire(key, window, state, ctx, false, false, windows, out);
        }
        if (!removed) {
          windows.put(window, state);
          setTimers(window, state, eventTimers, processingTimers, wakeAt);
        }
      }
    }

    @OnTimerFamily(EVENT_TIMERS)
    public void onEventTimer(
        @TimerId String timerId,
        @Key K key,
        @StateId(WINDOWS) MapState<BoundedWindow, WindowState<A>> windows,
        @TimerFamily(EVENT_TIMERS) TimerMap eventTimers,
        @TimerFamily(PROCESSING_TIMERS) TimerMap processingTimers,
        @TimerId(WATERMARK) Timer watermarkProbe,
        @TimerId(CLOCK) Timer clock,
        MultiOutputReceiver out) {
      onTimer(
          key,
          timerId,
          windows,
          eventTimers,
          processingTimers,
          watermarkProbe.getCurrentRelativeTime(),
          clock.getCurrentRelativeTime(),
          out);
    }

    @OnTimerFamily(PROCESSING_TIMERS)
    public void onProcessingTimer(
        @TimerId String timerId,
        @Key K key,
        @StateId(WINDOWS) MapState<BoundedWindow, WindowState<A>> windows,
        @TimerFamily(EVENT_TIMERS) TimerMap eventTimers,
        @TimerFamily(PROCESSING_TIMERS) TimerMap processingTimers,
        @TimerId(WATERMARK) Timer watermarkProbe,
        @TimerId(CLOCK) Timer clock,
        MultiOutputReceiver out) {
      onTimer(
          key,
          timerId,
          windows,
          eventTimers,
          processingTimers,
          watermarkProbe.getCurrentRelativeTime(),
          clock.getCurrentRelativeTime(),
          out);
    }

    @OnTimer(WATERMARK)
    public void onWatermarkProbe() {
      // Never set: exists to read the input watermark.
    }

    @OnTimer(CLOCK)
    public void onClockProbe() {
      // Never set: exists to read the processing time.
    }

    private void onTimer(
        K key,
        String timerId,
        MapState<BoundedWindow, WindowState<A>> windows,
        TimerMap eventTimers,
        TimerMap processingTimers,
        Instant watermark,
        Instant now,
        MultiOutputReceiver out) {
      BoundedWindow window = parseWindow(timerId);
      WindowState<A> state = windows.get(window).read();
      if (state == null) {
        return; // merged away or already collected
      }
      TriggerMachine.Ctx ctx = new TriggerMachine.Ctx(watermark, window.maxTimestamp(), now);
      // The global window expires too, when the input ends (the watermark passes its end);
      // without that, its garbage-collection timer would be set again and fire forever.
      boolean expired =
          window instanceof GlobalWindow
              ? watermark.isAfter(GlobalWindow.INSTANCE.maxTimestamp())
              : watermark.isAfter(window.maxTimestamp().plus(allowedLateness));
      if (state.closed) {
        if (expired) {
          windows.remove(window);
        }
        return;
      }
      boolean removed = false;
      if (expired || machine.shouldFire(state.trigger, ctx)) {
        removed = fire(key, window, state, ctx, expired, true, windows, out);
      }
      if (!removed) {
        windows.put(window, state);
        setTimers(
            window, state, eventTimers, processingTimers, machine.earliestTarget(state.trigger));
      }
    }

    /**
     * Fires a pane if it should be emitted; returns true when the window's state was removed
     * (expired after its final pane).
     */
    private boolean fire(
        K key,
        BoundedWindow window,
        WindowState<A> state,
        TriggerMachine.Ctx ctx,
        boolean expired,
        boolean byTimer,
        MapState<BoundedWindow, WindowState<A>> windows,
        MultiOutputReceiver out) {
      boolean finished = expired;
      if (machine.shouldFire(state.trigger, ctx)) {
        finished |= machine.onFire(state.trigger, ctx);
      }
      boolean isFinal = finished || expired;
      Timing timing = describeTiming(state, window, ctx, byTimer);
      boolean empty = state.elementsInPane == 0;
      boolean emit =
          !empty
              || (timing == Timing.ON_TIME
                  && policy.onTimeBehavior() == Window.OnTimeBehavior.FIRE_ALWAYS)
              || (isFinal && policy.closingBehavior() == Window.ClosingBehavior.FIRE_ALWAYS);
      if (emit) {
        long index = state.paneIndex + 1;
        long nonSpeculative = timing == Timing.EARLY ? -1 : state.nonSpeculativeIndex + 1;
        PaneInfo pane = PaneInfo.createPane(index == 0, isFinal, timing, index, nonSpeculative);
        out.get(TriggerEngine.<K, O>panesTag())
            .outputWindowedValue(
                KV.of(key, combineFn.extractOutput(state.accumulator)),
                window.maxTimestamp(),
                List.of(window),
                pane);
        panesFired.inc();
        state.paneIndex = index;
        state.nonSpeculativeIndex = nonSpeculative;
        state.lastTiming = timing.ordinal();
        state.elementsInPane = 0;
        if (policy.beamAccumulationMode()
            == WindowingStrategy.AccumulationMode.DISCARDING_FIRED_PANES) {
          state.accumulator = combineFn.createAccumulator();
        }
      }
      if (expired) {
        windows.remove(window);
        return true;
      }
      if (finished) {
        state.closed = true;
        state.accumulator = combineFn.createAccumulator();
      }
      return false;
    }

    /**
     * Beam's rule (PaneInfoTracker): early while the watermark is before the end of the window,
     * then one on-time pane, then late panes. The on-time pane comes from the end-of-window timer,
     * which holds the output watermark; a pane fired by an element that arrives after the watermark
     * passed the end of its window is late for the output, as in Beam.
     */
    private static <A> Timing describeTiming(
        WindowState<A> state, BoundedWindow window, TriggerMachine.Ctx ctx, boolean byTimer) {
      Timing previous = state.previousTiming();
      boolean onlyEarlySoFar = previous == null || previous == Timing.EARLY;
      if (!onlyEarlySoFar || (!byTimer && ctx.pastEndOfWindow())) {
        return Timing.LATE;
      }
      return ctx.watermark().isAfter(window.maxTimestamp()) ? Timing.ON_TIME : Timing.EARLY;
    }

    /** Merges the new proto-session with every live session it overlaps. */
    private KV<BoundedWindow, WindowState<A>> mergeInto(
        IntervalWindow proto,
        MapState<BoundedWindow, WindowState<A>> windows,
        TimerMap eventTimers,
        TimerMap processingTimers) {
      IntervalWindow span = proto;
      List<KV<BoundedWindow, WindowState<A>>> overlapping = new ArrayList<>();
      for (Map.Entry<BoundedWindow, WindowState<A>> e : windows.entries().read()) {
        if (e.getKey() instanceof IntervalWindow w && w.intersects(proto) && !e.getValue().closed) {
          overlapping.add(KV.of(w, e.getValue()));
          span = span.span(w);
        }
      }
      if (overlapping.isEmpty()) {
        return KV.of(proto, null);
      }
      if (overlapping.size() == 1 && overlapping.get(0).getKey().equals(span)) {
        return overlapping.get(0);
      }
      WindowState<A> merged = new WindowState<>();
      merged.trigger = machine.newState();
      List<A> accumulators = new ArrayList<>();
      for (KV<BoundedWindow, WindowState<A>> o : overlapping) {
        WindowState<A> s = o.getValue();
        accumulators.add(s.accumulator);
        machine.merge(merged.trigger, s.trigger);
        // As in Beam, the merged session is a new window: its pane numbering starts again.
        merged.elementsInPane += s.elementsInPane;
        windows.remove(o.getKey());
        eventTimers.get(timerId(o.getKey())).clear();
        processingTimers.get(timerId(o.getKey())).clear();
      }
      merged.accumulator = combineFn.mergeAccumulators(accumulators);
      return KV.of(span, merged);
    }

    private void setTimers(
        BoundedWindow window,
        WindowState<A> state,
        TimerMap eventTimers,
        TimerMap processingTimers,
        Instant wakeAt) {
      String id = timerId(window);
      Instant gc =
          window instanceof GlobalWindow
              ? GlobalWindow.INSTANCE.maxTimestamp()
              : window.maxTimestamp().plus(allowedLateness);
      boolean onTimeDone = state.lastTiming >= Timing.ON_TIME.ordinal();
      Instant next = machine.watchesWatermark() && !onTimeDone ? window.maxTimestamp() : gc;
      eventTimers.get(id).withOutputTimestamp(window.maxTimestamp()).set(next);
      if (wakeAt != null) {
        processingTimers.get(id).set(wakeAt);
      }
    }

    private void capture(
        MultiOutputReceiver out,
        KV<K, V> element,
        Instant timestamp,
        BoundedWindow window,
        Instant watermark,
        String reason) {
      out.get(TriggerEngine.<K, V>lateTag())
          .output(LateElement.of(element, timestamp, window, watermark, reason));
      lateCaptured.inc();
    }

    private static String timerId(BoundedWindow w) {
      return w instanceof IntervalWindow iw
          ? iw.start().getMillis() + "_" + iw.end().getMillis()
          : "global";
    }

    private static BoundedWindow parseWindow(String id) {
      if (id.equals("global")) {
        return GlobalWindow.INSTANCE;
      }
      int sep = id.indexOf('_');
      return new IntervalWindow(
          new Instant(Long.parseLong(id.substring(0, sep))),
          new Instant(Long.parseLong(id.substring(sep + 1))));
    }
  }
}
