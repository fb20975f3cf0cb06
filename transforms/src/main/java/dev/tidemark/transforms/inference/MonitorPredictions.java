package dev.tidemark.transforms.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.coders.LongArrayCoder;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.ComputePanes;
import dev.tidemark.transforms.panes.Panes;
import dev.tidemark.transforms.skew.MeasureSkew;
import dev.tidemark.transforms.skew.SkewBuckets;
import dev.tidemark.transforms.skew.SkewHistogram;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Monitoring of a stream of predictions, per {@link #WINDOW} of event time: throughput, latency
 * percentiles, prediction mean and histogram, dead letters, late events, watermark lag, skew
 * (processing time minus event time, bucketed as {@link MeasureSkew} does), and input drift of each
 * numeric feature against the training data (PSI and a two-sample Kolmogorov–Smirnov test, see
 * {@link FeatureDrift}). Emits one {@link MonitoringRecord} per pane and updates Beam metrics
 * (counters {@code monitoredPredictions}, {@code monitoredDeadLetters}, {@code lateEvents}, {@code
 * tooLateEvents}, {@code psiAlerts}; distributions {@code windowLatencyP99Ms}, {@code
 * watermarkLagMs}; gauge {@code predictionMeanPermille}; and {@link MeasureSkew}'s {@code
 * skewMillis}, {@code elementsMeasured}, {@code eventsFromTheFuture}).
 *
 * <p>Watermark lag ({@link MonitoringRecord#watermarkLagMs()}), in event time: when a window closes
 * (the watermark passes its end and its on-time pane fires), how far the newest prediction seen so
 * far is ahead of the window end, {@code max(0, newest event time - window end)}: how much event
 * time the watermark trailed the data by when it let the window's result out. It means the same for
 * live data and for replays of old trips (processing time minus watermark would be years for a 2013
 * replay). {@link WatermarkLagFn}, a stateful DoFn on one key in the global window, keeps the
 * newest event time and an event-time timer at the end of the earliest open window; the timer fires
 * when the input watermark passes it, and its output (held by the timer's output timestamp, so it
 * is never late) joins that window's on-time pane. {@link NewestPerWindowFn} first reduces each
 * bundle to one element per window, so the single key sees little traffic.
 *
 * <p>Inputs, by tag: {@link #PREDICTIONS} the predictions; {@link #DEAD_LETTERS} one reason per
 * dead-lettered event (timestamped with its event time where known). Outputs, by tag: {@link
 * #RECORDS} the monitoring records; {@link #LATE} the events that came after their window expired
 * (a JSON description of the event, with its window and the reason).
 *
 * <p>Windowing: {@link MonitoringWindows} on Tidemark's {@link ComputePanes} — an on-time pane when
 * the watermark passes the end of the window, then one late pane per late element within the
 * allowed lateness (discarding: a late pane reports only its late events, counted as {@code
 * lateEvents}); events later than that are captured on {@link #LATE}, never dropped, so {@code
 * events in = events in records + too late}. Latency percentiles are Commons Math's {@link
 * Percentile} with {@link EstimationType#R_1} (the inverse of the empirical distribution: always an
 * observed value).
 */
public final class MonitorPredictions extends PTransform<PCollectionTuple, PCollectionTuple> {

  /** The predictions to monitor. */
  public static final TupleTag<TripPrediction> PREDICTIONS = new TupleTag<TripPrediction>() {};

  /** One reason per dead-lettered event. */
  public static final TupleTag<String> DEAD_LETTERS = new TupleTag<String>() {};

  /** Output: one monitoring record per pane. */
  public static final TupleTag<MonitoringRecord> RECORDS = new TupleTag<MonitoringRecord>() {};

  /**
   * Output: events later than the allowed lateness, as JSON ({@code {"event":"prediction",
   * "tripId":...,"probability":...}} or {@code {"event":"deadLetter","reason":...}}).
   */
  public static final TupleTag<LateElement<String>> LATE = new TupleTag<LateElement<String>>() {};

  /** The monitoring window: five minutes of event time. */
  public static final Duration WINDOW = Duration.standardMinutes(5);

  /** Default allowed lateness: late events within it are reported in late panes. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(30);

  /** Default PSI alert threshold (the usual "significant shift" level). */
  public static final double DEFAULT_PSI_THRESHOLD = 0.2;

  /** The one key under which a window's events are summarized. */
  static final String ALL = "all";

  private final FeatureReference reference;
  private final double psiThreshold;
  private final Duration allowedLateness;
  private final Duration window;
  private final ProcessingClock clock;

  private MonitorPredictions(
      FeatureReference reference,
      double psiThreshold,
      Duration allowedLateness,
      Duration window,
      ProcessingClock clock) {
    this.reference = reference;
    this.psiThreshold = psiThreshold;
    this.allowedLateness = allowedLateness;
    this.window = window;
    this.clock = clock;
  }

  /** Monitors against {@code reference} (null: no drift statistics). */
  public static MonitorPredictions against(FeatureReference reference) {
    return new MonitorPredictions(
        reference,
        DEFAULT_PSI_THRESHOLD,
        DEFAULT_ALLOWED_LATENESS,
        WINDOW,
        ProcessingClock.system());
  }

  /** Flags features whose PSI exceeds {@code threshold}. */
  public MonitorPredictions withPsiThreshold(double threshold) {
    return new MonitorPredictions(reference, threshold, allowedLateness, window, clock);
  }

  /** Reports late events up to {@code lateness} after the end of their window. */
  public MonitorPredictions withAllowedLateness(Duration lateness) {
    return new MonitorPredictions(reference, psiThreshold, lateness, window, clock);
  }

  /**
   * Monitors per fixed event-time window of {@code size} instead of {@link #WINDOW} (e.g. days for
   * a sparse replay such as the shipped sample, a few trips a day).
   */
  public MonitorPredictions withWindow(Duration size) {
    return new MonitorPredictions(reference, psiThreshold, allowedLateness, size, clock);
  }

  /** Reads processing time, for skew, from {@code clock} (tests pin it). */
  public MonitorPredictions withClock(ProcessingClock clock) {
    return new MonitorPredictions(reference, psiThreshold, allowedLateness, window, clock);
  }

  /** The windowing policy of the monitoring windows. */
  public WindowingPolicy policy() {
    return MonitoringWindows.of(window, allowedLateness);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    List<FeatureReference.Reference> refs = reference == null ? List.of() : reference.features();
    int[] slots = refs.stream().mapToInt(FeatureReference.Reference::index).toArray();
    PCollection<Observation> predictions =
        input
            .get(PREDICTIONS)
            .apply("ObservePrediction", ParDo.of(new ObservePredictionFn(slots, clock)))
            .setCoder(ObservationCoder.INSTANCE);
    PCollection<Observation> deadLetters =
        input
            .get(DEAD_LETTERS)
            .apply("ObserveDeadLetter", MapElements.via(new ObserveDeadFn()))
            .setCoder(ObservationCoder.INSTANCE);
    PCollection<Observation> watermarkLags =
        input
            .get(PREDICTIONS)
            .apply("NewestPredictionPerWindow", ParDo.of(new NewestPerWindowFn(window)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply(
                "IntoTheGlobalWindow",
                WindowingPolicy.of(WindowSpec.global()).<KV<String, Long>>toWindow())
            .apply("MeasureWatermarkLag", ParDo.of(new WatermarkLagFn()))
            .setCoder(ObservationCoder.INSTANCE);
    Panes<String, Observation, WindowStats> panes =
        PCollectionList.of(predictions)
            .and(deadLetters)
            .and(watermarkLags)
            .apply("AllObservations", Flatten.pCollections())
            .apply("OneSummaryPerWindow", WithKeys.of(ALL))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ObservationCoder.INSTANCE))
            .apply("SummarizeWindows", ComputePanes.of(policy(), new SummarizeFn(slots)));
    PCollection<MonitoringRecord> records =
        panes
            .panes()
            .apply("ToMonitoringRecord", ParDo.of(new ToMonitoringRecordFn(refs, psiThreshold)))
            .setCoder(TidemarkCoders.MONITORING_RECORD);
    PCollection<LateElement<String>> late =
        panes
            .late()
            .apply("DescribeTooLateEvent", ParDo.of(new DescribeLateFn()))
            .setCoder(LateElement.coder(StringUtf8Coder.of()));
    return PCollectionTuple.of(RECORDS, records).and(LATE, late);
  }

  /** The skew buckets of the records: {@link SkewBuckets#standard()}. */
  static final SkewBuckets SKEW = SkewBuckets.standard();

  /** What an observation is. */
  enum Kind {
    PREDICTION,
    DEAD_LETTER,
    /** Not an event: the watermark lag measured when its window closed. */
    WATERMARK_LAG
  }

  /**
   * One event (or the watermark lag of a window) as monitoring sees it.
   *
   * @param kind what it is (the other fields are used by PREDICTION, resp. WATERMARK_LAG)
   * @param id the trip id of a prediction, the reason of a dead letter, else empty
   * @param latencyMillis prediction latency
   * @param probability predicted probability
   * @param values the monitored numeric feature values, in reference order (NaN when missing)
   * @param watermarkLagMillis the watermark lag of the window (WATERMARK_LAG only)
   * @param skewMillis processing time minus event time when the prediction was observed
   */
  record Observation(
      Kind kind,
      String id,
      long latencyMillis,
      double probability,
      double[] values,
      long watermarkLagMillis,
      long skewMillis) {

    static Observation prediction(
        String tripId, long latencyMillis, double probability, double[] values, long skewMillis) {
      return new Observation(
          Kind.PREDICTION, tripId, latencyMillis, probability, values, 0, skewMillis);
    }

    static Observation deadLetter(String reason) {
      return new Observation(Kind.DEAD_LETTER, reason, 0, Double.NaN, new double[0], 0, 0);
    }

    static Observation watermarkLag(long millis) {
      return new Observation(Kind.WATERMARK_LAG, "", 0, Double.NaN, new double[0], millis, 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Observation x
          && kind == x.kind
          && id.equals(x.id)
          && latencyMillis == x.latencyMillis
          && Double.compare(probability, x.probability) == 0
          && Arrays.equals(values, x.values)
          && watermarkLagMillis == x.watermarkLagMillis
          && skewMillis == x.skewMillis;
    }

    @Override
    public int hashCode() {
      return id.hashCode() * 31 + Arrays.hashCode(values);
    }
  }

  /** Kind, id, latency, probability, values, watermark lag and skew, field after field. */
  static final class ObservationCoder extends AtomicCoder<Observation> {
    static final ObservationCoder INSTANCE = new ObservationCoder();

    @Override
    public void encode(Observation o, OutputStream out) throws IOException {
      VarInt.encode(o.kind().ordinal(), out);
      StringUtf8Coder.of().encode(o.id(), out);
      VarInt.encode(o.latencyMillis(), out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(o.probability());
      VarInt.encode(o.values().length, out);
      for (double v : o.values()) {
        data.writeDouble(v);
      }
      data.flush();
      VarInt.encode(o.watermarkLagMillis(), out);
      VarInt.encode(o.skewMillis(), out);
    }

    @Override
    public Observation decode(InputStream in) throws IOException {
      Kind kind = Kind.values()[VarInt.decodeInt(in)];
      String id = StringUtf8Coder.of().decode(in);
      long latency = VarInt.decodeLong(in);
      DataInputStream data = new DataInputStream(in);
      double probability = data.readDouble();
      double[] values = new double[VarInt.decodeInt(in)];
      for (int i = 0; i < values.length; i++) {
        values[i] = data.readDouble();
      }
      long lag = VarInt.decodeLong(in);
      long skew = VarInt.decodeLong(in);
      return new Observation(kind, id, latency, probability, values, lag, skew);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /**
   * A prediction as an observation: trip id, latency, probability, monitored feature values, and
   * its skew (processing time now minus its event time), measured as {@link MeasureSkew} does.
   */
  static final class ObservePredictionFn extends DoFn<TripPrediction, Observation> {
    private final Distribution skew = Metrics.distribution(MeasureSkew.class, "skewMillis");
    private final Counter measured = Metrics.counter(MeasureSkew.class, "elementsMeasured");
    private final Counter future = Metrics.counter(MeasureSkew.class, "eventsFromTheFuture");
    private final int[] slots;
    private final ProcessingClock clock;

    ObservePredictionFn(int[] slots, ProcessingClock clock) {
      this.slots = slots;
      this.clock = clock;
    }

    @ProcessElement
    public void processElement(
        @Element TripPrediction p, @Timestamp Instant eventTime, OutputReceiver<Observation> out) {
      double[] values = new double[slots.length];
      for (int i = 0; i < slots.length; i++) {
        values[i] =
            p.features() != null && slots[i] < p.features().length
                ? p.features()[slots[i]]
                : Double.NaN;
      }
      long skewMillis = clock.now().toEpochMilli() - eventTime.getMillis();
      skew.update(skewMillis);
      measured.inc();
      if (skewMillis < 0) {
        future.inc();
      }
      out.output(
          Observation.prediction(
              p.tripId(), p.latencyMillis(), p.probability(), values, skewMillis));
    }
  }

  /** A dead letter as an observation. */
  static final class ObserveDeadFn extends SimpleFunction<String, Observation> {
    @Override
    public Observation apply(String reason) {
      return Observation.deadLetter(reason);
    }

    @Override
    public TypeDescriptor<Observation> getOutputTypeDescriptor() {
      return TypeDescriptor.of(Observation.class);
    }
  }

  /** A too-late event, described in JSON, with its window, watermark and reason kept. */
  static final class DescribeLateFn
      extends DoFn<LateElement<KV<String, Observation>>, LateElement<String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Counter tooLate = Metrics.counter(MonitorPredictions.class, "tooLateEvents");

    @ProcessElement
    public void processElement(
        @Element LateElement<KV<String, Observation>> late,
        OutputReceiver<LateElement<String>> out) {
      Observation o = late.element().getValue();
      ObjectNode n = JSON.createObjectNode();
      switch (o.kind()) {
        case PREDICTION -> {
          n.put("event", "prediction");
          n.put("tripId", o.id());
          n.put("probability", o.probability());
        }
        case DEAD_LETTER -> {
          n.put("event", "deadLetter");
          n.put("reason", o.id());
        }
        case WATERMARK_LAG -> {
          return; // Held by its timer, never late; nothing of an event to report if it were.
        }
      }
      tooLate.inc();
      out.output(
          new LateElement<>(
              n.toString(),
              late.timestamp(),
              late.windowStart(),
              late.windowEnd(),
              late.watermark(),
              late.reason()));
    }
  }

  /**
   * Reduces a bundle of predictions to one element per monitoring window: the window end, stamped
   * with the newest event time of that window in the bundle (emitted in {@code @FinishBundle}, in
   * that element's own window). Keyed by one constant key for {@link WatermarkLagFn}.
   */
  static final class NewestPerWindowFn extends DoFn<TripPrediction, KV<String, Long>> {
    private final FixedWindows windows;

    NewestPerWindowFn(Duration size) {
      this.windows = FixedWindows.of(size);
    }

    private transient Map<Long, Newest> newest;

    /** The newest element of one window in this bundle. */
    private record Newest(Instant timestamp, BoundedWindow window) {}

    @StartBundle
    public void startBundle() {
      newest = new HashMap<>();
    }

    @ProcessElement
    public void processElement(@Timestamp Instant timestamp, BoundedWindow window) {
      long end = windows.assignWindow(timestamp).end().getMillis();
      Newest n = newest.get(end);
      if (n == null || timestamp.isAfter(n.timestamp())) {
        newest.put(end, new Newest(timestamp, window));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      newest.forEach(
          (end, n) -> context.output(KV.of(WatermarkLagFn.KEY, end), n.timestamp(), n.window()));
      newest.clear();
    }
  }

  /**
   * Measures the watermark lag of each window when it closes: keeps the newest event time seen and
   * the ends of the open windows (those with predictions whose end the watermark has not passed),
   * with an event-time timer at the earliest end. When the timer fires (the input watermark passed
   * that end), it emits {@code max(0, newest - end)} stamped {@code end - 1 ms}, inside the window;
   * the timer's output timestamp holds the output watermark there until then, so the lag is on time
   * for the window's on-time pane. Windows already closed (late predictions) get no second lag.
   */
  static final class WatermarkLagFn extends DoFn<KV<String, Long>, Observation> {
    static final String KEY = "all";

    @StateId("newest")
    private final StateSpec<ValueState<Long>> newestSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("closedUpTo")
    private final StateSpec<ValueState<Long>> closedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("openEnds")
    private final StateSpec<ValueState<List<Long>>> openSpec =
        StateSpecs.value(ListCoder.of(VarLongCoder.of()));

    @TimerId("windowEnd")
    private final TimerSpec windowEndSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void processElement(
        @Element KV<String, Long> windowEnd,
        @Timestamp Instant timestamp,
        @StateId("newest") ValueState<Long> newest,
        @StateId("closedUpTo") ValueState<Long> closedUpTo,
        @StateId("openEnds") ValueState<List<Long>> openEnds,
        @TimerId("windowEnd") Timer timer) {
      Long n = newest.read();
      if (n == null || timestamp.getMillis() > n) {
        newest.write(timestamp.getMillis());
      }
      long end = windowEnd.getValue();
      Long closed = closedUpTo.read();
      if (closed != null && end <= closed) {
        return; // A late prediction: its window's lag was measured when it closed.
      }
      List<Long> open = new ArrayList<>(orEmpty(openEnds.read()));
      if (open.contains(end)) {
        return;
      }
      open.add(end);
      open.sort(null);
      openEnds.write(open);
      if (open.get(0) == end) {
        // The earliest open window: the timer moves to its end and holds the output there.
        timer.withOutputTimestamp(new Instant(end - 1)).set(new Instant(end));
      }
    }

    @OnTimer("windowEnd")
    public void onWindowEnd(
        OnTimerContext context,
        @StateId("newest") ValueState<Long> newest,
        @StateId("closedUpTo") ValueState<Long> closedUpTo,
        @StateId("openEnds") ValueState<List<Long>> openEnds,
        @TimerId("windowEnd") Timer timer) {
      long end = context.fireTimestamp().getMillis();
      Long n = newest.read();
      long lag = n == null ? 0 : Math.max(0, n - end);
      context.outputWithTimestamp(Observation.watermarkLag(lag), new Instant(end - 1));
      closedUpTo.write(end);
      List<Long> open = new ArrayList<>(orEmpty(openEnds.read()));
      open.removeIf(e -> e <= end);
      openEnds.write(open);
      if (!open.isEmpty()) {
        long next = open.get(0);
        timer.withOutputTimestamp(new Instant(next - 1)).set(new Instant(next));
      }
    }

    private static List<Long> orEmpty(List<Long> l) {
      return l == null ? List.of() : l;
    }
  }

  /** What one pane gathers. */
  static final class WindowStats implements Serializable {
    private static final long serialVersionUID = 2L;
    long predictions;
    long deadLetters;
    long watermarkLagMillis = -1;
    double probabilitySum;
    final long[] histogram = new long[10];
    final long[] skew = new long[SKEW.size()];
    final List<Long> latencies = new ArrayList<>();
    final Map<Integer, List<Double>> values = new HashMap<>();

    @Override
    public boolean equals(Object o) {
      return o instanceof WindowStats w
          && predictions == w.predictions
          && deadLetters == w.deadLetters
          && watermarkLagMillis == w.watermarkLagMillis
          && Double.compare(probabilitySum, w.probabilitySum) == 0
          && Arrays.equals(histogram, w.histogram)
          && Arrays.equals(skew, w.skew)
          && latencies.equals(w.latencies)
          && values.equals(w.values);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(predictions) * 31 + latencies.hashCode();
    }
  }

  /**
   * A pane's statistics, field after field: counts, watermark lag, probability sum, the decile and
   * skew histograms, the latencies, and each monitored feature's values.
   */
  static final class WindowStatsCoder extends AtomicCoder<WindowStats> {
    static final WindowStatsCoder INSTANCE = new WindowStatsCoder();

    @Override
    public void encode(WindowStats s, OutputStream out) throws IOException {
      VarInt.encode(s.predictions, out);
      VarInt.encode(s.deadLetters, out);
      VarInt.encode(s.watermarkLagMillis, out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(s.probabilitySum);
      data.flush();
      LongArrayCoder.of().encode(s.histogram, out);
      LongArrayCoder.of().encode(s.skew, out);
      VarInt.encode(s.latencies.size(), out);
      for (long l : s.latencies) {
        VarInt.encode(l, out);
      }
      VarInt.encode(s.values.size(), out);
      for (Map.Entry<Integer, List<Double>> e : new java.util.TreeMap<>(s.values).entrySet()) {
        VarInt.encode(e.getKey(), out);
        VarInt.encode(e.getValue().size(), out);
        for (double v : e.getValue()) {
          data.writeDouble(v);
        }
        data.flush();
      }
    }

    @Override
    public WindowStats decode(InputStream in) throws IOException {
      WindowStats s = new WindowStats();
      s.predictions = VarInt.decodeLong(in);
      s.deadLetters = VarInt.decodeLong(in);
      s.watermarkLagMillis = VarInt.decodeLong(in);
      DataInputStream data = new DataInputStream(in);
      s.probabilitySum = data.readDouble();
      System.arraycopy(LongArrayCoder.of().decode(in), 0, s.histogram, 0, s.histogram.length);
      System.arraycopy(LongArrayCoder.of().decode(in), 0, s.skew, 0, s.skew.length);
      int latencies = VarInt.decodeInt(in);
      for (int i = 0; i < latencies; i++) {
        s.latencies.add(VarInt.decodeLong(in));
      }
      int features = VarInt.decodeInt(in);
      for (int f = 0; f < features; f++) {
        int slot = VarInt.decodeInt(in);
        int n = VarInt.decodeInt(in);
        List<Double> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          values.add(data.readDouble());
        }
        s.values.put(slot, values);
      }
      return s;
    }
  }

  /** Gathers a pane's counts, latencies, histogram and feature values. */
  static final class SummarizeFn extends Combine.CombineFn<Observation, WindowStats, WindowStats> {
    private final int[] slots;

    SummarizeFn(int[] slots) {
      this.slots = slots;
    }

    @Override
    public WindowStats createAccumulator() {
      return new WindowStats();
    }

    @Override
    public WindowStats addInput(WindowStats s, Observation o) {
      if (o.kind() == Kind.DEAD_LETTER) {
        s.deadLetters++;
        return s;
      }
      if (o.kind() == Kind.WATERMARK_LAG) {
        s.watermarkLagMillis = Math.max(s.watermarkLagMillis, o.watermarkLagMillis());
        return s;
      }
      s.predictions++;
      s.probabilitySum += o.probability();
      s.histogram[Math.min(9, Math.max(0, (int) Math.floor(o.probability() * 10)))]++;
      s.latencies.add(o.latencyMillis());
      s.skew[SKEW.indexOf(o.skewMillis())]++;
      for (int i = 0; i < slots.length && i < o.values().length; i++) {
        if (!Double.isNaN(o.values()[i])) {
          s.values.computeIfAbsent(i, k -> new ArrayList<>()).add(o.values()[i]);
        }
      }
      return s;
    }

    @Override
    public WindowStats mergeAccumulators(Iterable<WindowStats> all) {
      WindowStats m = new WindowStats();
      for (WindowStats s : all) {
        m.predictions += s.predictions;
        m.deadLetters += s.deadLetters;
        m.watermarkLagMillis = Math.max(m.watermarkLagMillis, s.watermarkLagMillis);
        m.probabilitySum += s.probabilitySum;
        for (int b = 0; b < 10; b++) {
          m.histogram[b] += s.histogram[b];
        }
        for (int b = 0; b < m.skew.length; b++) {
          m.skew[b] += s.skew[b];
        }
        m.latencies.addAll(s.latencies);
        s.values.forEach((k, v) -> m.values.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      }
      return m;
    }

    @Override
    public WindowStats extractOutput(WindowStats s) {
      return s;
    }

    @Override
    public Coder<WindowStats> getAccumulatorCoder(
        CoderRegistry registry, Coder<Observation> inputCoder) {
      return WindowStatsCoder.INSTANCE;
    }

    @Override
    public Coder<WindowStats> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Observation> inputCoder) {
      return WindowStatsCoder.INSTANCE;
    }
  }

  /** Turns a pane's statistics into a record, with percentiles and drift, and updates metrics. */
  static final class ToMonitoringRecordFn extends DoFn<KV<String, WindowStats>, MonitoringRecord> {
    private final Counter monitoredPredictions =
        Metrics.counter(MonitorPredictions.class, "monitoredPredictions");
    private final Counter monitoredDeadLetters =
        Metrics.counter(MonitorPredictions.class, "monitoredDeadLetters");
    private final Counter lateEvents = Metrics.counter(MonitorPredictions.class, "lateEvents");
    private final Counter psiAlerts = Metrics.counter(MonitorPredictions.class, "psiAlerts");
    private final Distribution latencyP99 =
        Metrics.distribution(MonitorPredictions.class, "windowLatencyP99Ms");
    private final Distribution watermarkLag =
        Metrics.distribution(MonitorPredictions.class, "watermarkLagMs");
    private final Gauge meanPermille =
        Metrics.gauge(MonitorPredictions.class, "predictionMeanPermille");

    private final List<FeatureReference.Reference> refs;
    private final double psiThreshold;

    ToMonitoringRecordFn(List<FeatureReference.Reference> refs, double psiThreshold) {
      this.refs = List.copyOf(refs);
      this.psiThreshold = psiThreshold;
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, WindowStats> summary,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<MonitoringRecord> out) {
      WindowStats s = summary.getValue();
      if (s.predictions == 0 && s.deadLetters == 0) {
        // Only a watermark lag, and it came late (a window reopened by a late prediction after the
        // watermark had passed it with no predictions): no events, no record.
        return;
      }
      MonitoringRecord r = record(s, window, pane.getTiming(), refs, psiThreshold);
      monitoredPredictions.inc(r.predictions());
      monitoredDeadLetters.inc(r.deadLetters());
      lateEvents.inc(r.lateEvents());
      psiAlerts.inc(r.drift().stream().filter(FeatureDrift::psiAlert).count());
      if (!Double.isNaN(r.latencyP99Ms())) {
        latencyP99.update(Math.round(r.latencyP99Ms()));
      }
      if (!Double.isNaN(r.watermarkLagMs())) {
        watermarkLag.update(Math.round(r.watermarkLagMs()));
      }
      if (!Double.isNaN(r.predictionMean())) {
        meanPermille.set(Math.round(r.predictionMean() * 1000));
      }
      out.output(r);
    }
  }

  /** The record of one pane (package-private for tests of the arithmetic). */
  static MonitoringRecord record(
      WindowStats s,
      IntervalWindow window,
      PaneInfo.Timing timing,
      List<FeatureReference.Reference> refs,
      double psiThreshold) {
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    if (!s.latencies.isEmpty()) {
      double[] lat = s.latencies.stream().mapToDouble(Long::doubleValue).toArray();
      Percentile percentile = new Percentile().withEstimationType(EstimationType.R_1);
      p50 = percentile.evaluate(lat, 50);
      p99 = percentile.evaluate(lat, 99);
    }
    List<FeatureDrift> drift = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      double[] values =
          s.values.getOrDefault(i, List.of()).stream().mapToDouble(Double::doubleValue).toArray();
      if (values.length > 0) {
        drift.add(FeatureDrift.of(refs.get(i), values, psiThreshold));
      }
    }
    long events = s.predictions + s.deadLetters;
    double seconds = (window.end().getMillis() - window.start().getMillis()) / 1000.0;
    return new MonitoringRecord(
        window.start().getMillis(),
        window.end().getMillis(),
        timing.name(),
        s.predictions,
        s.deadLetters,
        timing == PaneInfo.Timing.LATE ? events : 0,
        events / seconds,
        timing == PaneInfo.Timing.ON_TIME && s.watermarkLagMillis >= 0
            ? s.watermarkLagMillis
            : Double.NaN,
        p50,
        p99,
        s.predictions == 0 ? Double.NaN : s.probabilitySum / s.predictions,
        s.histogram.clone(),
        drift,
        SkewHistogram.of(
            window.start(),
            window.end(),
            SKEW,
            Arrays.stream(s.skew).boxed().collect(java.util.stream.Collectors.toList())));
  }
}
