package dev.tidemark.transforms.panes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns accumulating panes into a change stream — the accumulating and retracting mode that Beam
 * Java lacks. For each pane after the first of a window it emits the retraction of the value
 * emitted before, then the new value; both carry the pane's window, timestamp and {@link PaneInfo}.
 * With merging windows (sessions) the first pane of a merged window also retracts the last values
 * of the windows it replaced.
 *
 * <p>Invariant: per key, the sum of added values minus the sum of retracted values over the whole
 * output equals the sum of the final values of the final windows.
 *
 * <p>Input: panes of an accumulating windowed aggregation (its windowing strategy tells the window
 * function and the allowed lateness); output: {@code KV<key, Change<value>>} in the same windows.
 */
public final class RetractPanes<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Change<V>>>> {

  private RetractPanes() {}

  /** Retracts superseded panes of an accumulating aggregation. */
  public static <K, V> RetractPanes<K, V> create() {
    return new RetractPanes<>();
  }

  @Override
  public PCollection<KV<K, Change<V>>> expand(PCollection<KV<K, V>> panes) {
    @SuppressWarnings("unchecked")
    KvCoder<K, V> coder = (KvCoder<K, V>) panes.getCoder();
    WindowingStrategy<?, ?> strategy = panes.getWindowingStrategy();
    if (strategy.getMode() != WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES) {
      throw new IllegalArgumentException(
          "RetractPanes needs the panes of an accumulating aggregation, got " + strategy.getMode());
    }
    @SuppressWarnings("unchecked")
    Coder<BoundedWindow> windowCoder = (Coder<BoundedWindow>) strategy.getWindowFn().windowCoder();
    PaneRecordCoder<V> recordCoder = new PaneRecordCoder<>(coder.getValueCoder(), windowCoder);
    PCollection<KV<K, Change<V>>> changes =
        panes
            .apply("RecordPaneMetadata", ParDo.of(new RecordPaneMetadataFn<K, V>()))
            .setCoder(KvCoder.of(coder.getKeyCoder(), recordCoder))
            .apply("RewindowGlobally", Window.<KV<K, PaneRecord<V>>>into(new GlobalWindows()))
            .apply(
                "RetractPreviousPanes",
                ParDo.of(
                    new RetractPreviousPanesFn<K, V>(
                        !strategy.getWindowFn().isNonMerging(),
                        strategy.getAllowedLateness(),
                        coder.getValueCoder(),
                        windowCoder)))
            .setCoder(KvCoder.of(coder.getKeyCoder(), Change.coder(coder.getValueCoder())));
    // The changes are emitted into the panes' windows: the output keeps the panes' windowing.
    @SuppressWarnings("unchecked")
    WindowFn<Object, BoundedWindow> original =
        (WindowFn<Object, BoundedWindow>) strategy.getWindowFn();
    changes.setWindowingStrategyInternal(
        strategy
            .fixDefaults()
            .withWindowFn(PreassignedWindows.<Object, BoundedWindow>of(original)));
    return changes;
  }

  /** A pane's value with the metadata that the global window would otherwise lose. */
  record PaneRecord<V>(V value, BoundedWindow window, Instant timestamp, PaneInfo pane) {}

  /** Copies each pane's window, timestamp and pane info into the element. */
  static final class RecordPaneMetadataFn<K, V> extends DoFn<KV<K, V>, KV<K, PaneRecord<V>>> {
    @ProcessElement
    public void processElement(
        @Element KV<K, V> pane,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        PaneInfo paneInfo,
        OutputReceiver<KV<K, PaneRecord<V>>> out) {
      out.output(
          KV.of(pane.getKey(), new PaneRecord<>(pane.getValue(), window, timestamp, paneInfo)));
    }
  }

  /**
   * Per key, remembers the last value emitted for each live window and the index of its pane;
   * retracts it when a newer pane (or a merged window covering it) arrives. State of a window is
   * released after its last pane or, at the latest, when the window expires.
   */
  static final class RetractPreviousPanesFn<K, V>
      extends DoFn<KV<K, PaneRecord<V>>, KV<K, Change<V>>> {
    private static final String LAST = "lastEmitted";
    private static final String EXPIRY = "windowExpiry";

    @StateId(LAST)
    private final StateSpec<MapState<BoundedWindow, KV<Long, V>>> lastSpec;

    @TimerFamily(EXPIRY)
    private final TimerSpec expirySpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    private final Counter retractions = Metrics.counter(RetractPanes.class, "retractions");
    private final boolean merging;
    private final Duration allowedLateness;

    RetractPreviousPanesFn(
        boolean merging,
        Duration allowedLateness,
        Coder<V> valueCoder,
        Coder<BoundedWindow> windowCoder) {
      this.merging = merging;
      this.allowedLateness = allowedLateness;
      this.lastSpec = StateSpecs.map(windowCoder, KvCoder.of(VarLongCoder.of(), valueCoder));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      // Panes keep their own timestamps (the end of their window), which may be behind the
      // element that carries them here through the global window.
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void processElement(
        @Element KV<K, PaneRecord<V>> element,
        @StateId(LAST) MapState<BoundedWindow, KV<Long, V>> last,
        @TimerFamily(EXPIRY) TimerMap expiry,
        OutputReceiver<KV<K, Change<V>>> out) {
      K key = element.getKey();
      PaneRecord<V> pane = element.getValue();
      List<BoundedWindow> outputWindows = List.of(pane.window());
      List<KV<BoundedWindow, KV<Long, V>>> retracted = new ArrayList<>();
      for (Map.Entry<BoundedWindow, KV<Long, V>> e : last.entries().read()) {
        BoundedWindow w = e.getKey();
        if (w.equals(pane.window())) {
          if (e.getValue().getKey() > pane.pane().getIndex()) {
            // An older pane overtook a newer one on the way: it adds nothing to the result.
            emit(out, key, Change.add(pane.value(), pane.window()), pane, outputWindows);
            emit(out, key, Change.retract(pane.value(), pane.window()), pane, outputWindows);
            retractions.inc();
            return;
          }
          retracted.add(KV.of(w, e.getValue()));
        } else if (merging && intersects(w, pane.window())) {
          retracted.add(KV.of(w, e.getValue()));
        }
      }
      for (KV<BoundedWindow, KV<Long, V>> r : retracted) {
        emit(out, key, Change.retract(r.getValue().getValue(), r.getKey()), pane, outputWindows);
        retractions.inc();
        last.remove(r.getKey());
      }
      emit(out, key, Change.add(pane.value(), pane.window()), pane, outputWindows);
      if (pane.pane().isLast()) {
        last.remove(pane.window());
      } else {
        last.put(pane.window(), KV.of(pane.pane().getIndex(), pane.value()));
        if (!(pane.window() instanceof GlobalWindow)) {
          Instant expires =
              pane.window().maxTimestamp().plus(allowedLateness).plus(Duration.millis(1));
          expiry.get(timerId(pane.window())).set(expires);
        }
      }
    }

    @OnTimerFamily(EXPIRY)
    public void onExpiry(
        @Timestamp Instant firedAt, @StateId(LAST) MapState<BoundedWindow, KV<Long, V>> last) {
      for (BoundedWindow w : last.keys().read()) {
        if (!w.maxTimestamp().plus(allowedLateness).isAfter(firedAt)) {
          last.remove(w);
        }
      }
    }

    private static <K, V> void emit(
        OutputReceiver<KV<K, Change<V>>> out,
        K key,
        Change<V> change,
        PaneRecord<V> pane,
        List<BoundedWindow> windows) {
      out.outputWindowedValue(KV.of(key, change), pane.timestamp(), windows, pane.pane());
    }

    private static boolean intersects(BoundedWindow a, BoundedWindow b) {
      return a instanceof IntervalWindow x && b instanceof IntervalWindow y && x.intersects(y);
    }

    private static String timerId(BoundedWindow w) {
      return w instanceof IntervalWindow iw
          ? iw.start().getMillis() + "-" + iw.end().getMillis()
          : "global";
    }
  }

  /** Coder of {@link PaneRecord}: value, window, timestamp, pane info. */
  static final class PaneRecordCoder<V> extends CustomCoder<PaneRecord<V>> {
    private final Coder<V> valueCoder;
    private final Coder<BoundedWindow> windowCoder;

    PaneRecordCoder(Coder<V> valueCoder, Coder<BoundedWindow> windowCoder) {
      this.valueCoder = valueCoder;
      this.windowCoder = windowCoder;
    }

    @Override
    public void encode(PaneRecord<V> r, OutputStream out) throws IOException {
      valueCoder.encode(r.value(), out);
      windowCoder.encode(r.window(), out);
      InstantCoder.of().encode(r.timestamp(), out);
      PaneInfo.PaneInfoCoder.INSTANCE.encode(r.pane(), out);
    }

    @Override
    public PaneRecord<V> decode(InputStream in) throws IOException {
      return new PaneRecord<>(
          valueCoder.decode(in),
          windowCoder.decode(in),
          InstantCoder.of().decode(in),
          PaneInfo.PaneInfoCoder.INSTANCE.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder, windowCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "pane records are never grouped by");
    }
  }
}
