package dev.tidemark.transforms.inference;

import dev.tidemark.transforms.taxi.features.FeatureReference;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.joda.time.Duration;

/**
 * Monitoring of a stream of predictions, per {@link #WINDOW} of event time: throughput, latency
 * percentiles, prediction mean and histogram, dead letters, late events, and input drift of each
 * numeric feature against the training data (PSI and a two-sample Kolmogorov–Smirnov test, see
 * {@link FeatureDrift}). Emits one {@link MonitoringRecord} per pane and updates Beam metrics
 * (counters {@code monitoredPredictions}, {@code monitoredDeadLetters}, {@code lateEvents}, {@code
 * psiAlerts}; distribution {@code windowLatencyP99Ms}; gauge {@code predictionMeanPermille}).
 *
 * <p>Inputs, by tag: {@link #PREDICTIONS} the predictions; {@link #DEAD_LETTERS} one reason per
 * dead-lettered event (timestamped with its event time where known).
 *
 * <p>Windowing: fixed {@link #WINDOW}s; an on-time pane when the watermark passes the end of the
 * window, then one late pane per late element within the allowed lateness (discarding: a late pane
 * reports only its late events, counted as {@code lateEvents}). Events later than that are dropped
 * by the runner and counted by its own {@code droppedDueToLateness} metric. Latency percentiles are
 * Commons Math's {@link Percentile} with {@link EstimationType#R_1} (the inverse of the empirical
 * distribution: always an observed value).
 */
public final class MonitorPredictions
    extends PTransform<PCollectionTuple, PCollection<MonitoringRecord>> {

  /** The predictions to monitor. */
  public static final TupleTag<TripPrediction> PREDICTIONS = new TupleTag<TripPrediction>() {};

  /** One reason per dead-lettered event. */
  public static final TupleTag<String> DEAD_LETTERS = new TupleTag<String>() {};

  /** The monitoring window: five minutes of event time. */
  public static final Duration WINDOW = Duration.standardMinutes(5);

  /** Default allowed lateness: late events within it are reported in late panes. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(30);

  /** Default PSI alert threshold (the usual "significant shift" level). */
  public static final double DEFAULT_PSI_THRESHOLD = 0.2;

  private final FeatureReference reference;
  private final double psiThreshold;
  private final Duration allowedLateness;

  private MonitorPredictions(
      FeatureReference reference, double psiThreshold, Duration allowedLateness) {
    this.reference = reference;
    this.psiThreshold = psiThreshold;
    this.allowedLateness = allowedLateness;
  }

  /** Monitors against {@code reference} (null: no drift statistics). */
  public static MonitorPredictions against(FeatureReference reference) {
    return new MonitorPredictions(reference, DEFAULT_PSI_THRESHOLD, DEFAULT_ALLOWED_LATENESS);
  }

  /** Flags features whose PSI exceeds {@code threshold}. */
  public MonitorPredictions withPsiThreshold(double threshold) {
    return new MonitorPredictions(reference, threshold, allowedLateness);
  }

  /** Reports late events up to {@code lateness} after the end of their window. */
  public MonitorPredictions withAllowedLateness(Duration lateness) {
    return new MonitorPredictions(reference, psiThreshold, lateness);
  }

  @Override
  public PCollection<MonitoringRecord> expand(PCollectionTuple input) {
    List<FeatureReference.Reference> refs = reference == null ? List.of() : reference.features();
    int[] slots = refs.stream().mapToInt(FeatureReference.Reference::index).toArray();
    PCollection<Observation> predictions =
        input
            .get(PREDICTIONS)
            .apply("ObservePrediction", MapElements.via(new ObservePredictionFn(slots)));
    PCollection<Observation> deadLetters =
        input.get(DEAD_LETTERS).apply("ObserveDeadLetter", MapElements.via(new ObserveDeadFn()));
    return PCollectionList.of(predictions)
        .and(deadLetters)
        .apply("AllObservations", Flatten.pCollections())
        .apply(
            "WindowIntoFiveMinutes",
            Window.<Observation>into(FixedWindows.of(WINDOW))
                // On time when the watermark passes the window; late events refire it, each late
                // pane reporting only what arrived since (discarding), so late counts add up.
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(allowedLateness)
                .discardingFiredPanes())
        .apply("SummarizeWindow", Combine.globally(new SummarizeFn(slots)).withoutDefaults())
        .apply("ToMonitoringRecord", ParDo.of(new ToMonitoringRecordFn(refs, psiThreshold)))
        .setCoder(SerializableCoder.of(MonitoringRecord.class));
  }

  /**
   * One event as monitoring sees it.
   *
   * @param deadLetter whether it is a dead letter (then the other fields are unused)
   * @param latencyMillis prediction latency
   * @param probability predicted probability
   * @param values the monitored numeric feature values, in reference order (NaN when missing)
   */
  record Observation(boolean deadLetter, long latencyMillis, double probability, double[] values)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean equals(Object o) {
      return o instanceof Observation x
          && deadLetter == x.deadLetter
          && latencyMillis == x.latencyMillis
          && Double.compare(probability, x.probability) == 0
          && Arrays.equals(values, x.values);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(latencyMillis) * 31 + Arrays.hashCode(values);
    }
  }

  /** A prediction as an observation: latency, probability, monitored feature values. */
  static final class ObservePredictionFn extends SimpleFunction<TripPrediction, Observation> {
    private final int[] slots;

    ObservePredictionFn(int[] slots) {
      this.slots = slots;
    }

    @Override
    public Observation apply(TripPrediction p) {
      double[] values = new double[slots.length];
      for (int i = 0; i < slots.length; i++) {
        values[i] =
            p.features() != null && slots[i] < p.features().length
                ? p.features()[slots[i]]
                : Double.NaN;
      }
      return new Observation(false, p.latencyMillis(), p.probability(), values);
    }

    @Override
    public TypeDescriptor<Observation> getOutputTypeDescriptor() {
      return TypeDescriptor.of(Observation.class);
    }
  }

  /** A dead letter as an observation. */
  static final class ObserveDeadFn extends SimpleFunction<String, Observation> {
    @Override
    public Observation apply(String reason) {
      return new Observation(true, 0, Double.NaN, new double[0]);
    }

    @Override
    public TypeDescriptor<Observation> getOutputTypeDescriptor() {
      return TypeDescriptor.of(Observation.class);
    }
  }

  /** What one pane gathers. */
  static final class WindowStats implements Serializable {
    private static final long serialVersionUID = 1L;
    long predictions;
    long deadLetters;
    double probabilitySum;
    final long[] histogram = new long[10];
    final List<Long> latencies = new ArrayList<>();
    final Map<Integer, List<Double>> values = new HashMap<>();

    @Override
    public boolean equals(Object o) {
      return o instanceof WindowStats w
          && predictions == w.predictions
          && deadLetters == w.deadLetters
          && Double.compare(probabilitySum, w.probabilitySum) == 0
          && Arrays.equals(histogram, w.histogram)
          && latencies.equals(w.latencies)
          && values.equals(w.values);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(predictions) * 31 + latencies.hashCode();
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
      if (o.deadLetter()) {
        s.deadLetters++;
        return s;
      }
      s.predictions++;
      s.probabilitySum += o.probability();
      s.histogram[Math.min(9, Math.max(0, (int) Math.floor(o.probability() * 10)))]++;
      s.latencies.add(o.latencyMillis());
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
        m.probabilitySum += s.probabilitySum;
        for (int b = 0; b < 10; b++) {
          m.histogram[b] += s.histogram[b];
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
      return SerializableCoder.of(WindowStats.class);
    }

    @Override
    public Coder<WindowStats> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Observation> inputCoder) {
      return SerializableCoder.of(WindowStats.class);
    }
  }

  /** Turns a pane's statistics into a record, with percentiles and drift, and updates metrics. */
  static final class ToMonitoringRecordFn extends DoFn<WindowStats, MonitoringRecord> {
    private final Counter monitoredPredictions =
        Metrics.counter(MonitorPredictions.class, "monitoredPredictions");
    private final Counter monitoredDeadLetters =
        Metrics.counter(MonitorPredictions.class, "monitoredDeadLetters");
    private final Counter lateEvents = Metrics.counter(MonitorPredictions.class, "lateEvents");
    private final Counter psiAlerts = Metrics.counter(MonitorPredictions.class, "psiAlerts");
    private final Distribution latencyP99 =
        Metrics.distribution(MonitorPredictions.class, "windowLatencyP99Ms");
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
        @Element WindowStats s,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<MonitoringRecord> out) {
      MonitoringRecord r = record(s, window, pane.getTiming(), refs, psiThreshold);
      monitoredPredictions.inc(r.predictions());
      monitoredDeadLetters.inc(r.deadLetters());
      lateEvents.inc(r.lateEvents());
      psiAlerts.inc(r.drift().stream().filter(FeatureDrift::psiAlert).count());
      if (!Double.isNaN(r.latencyP99Ms())) {
        latencyP99.update(Math.round(r.latencyP99Ms()));
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
        p50,
        p99,
        s.predictions == 0 ? Double.NaN : s.probabilitySum / s.predictions,
        s.histogram.clone(),
        drift);
  }
}
