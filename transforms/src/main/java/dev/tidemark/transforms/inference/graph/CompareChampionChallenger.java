package dev.tidemark.transforms.inference.graph;

import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.inference.MonitoringWindows;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.ComputePanes;
import dev.tidemark.transforms.panes.Panes;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Compares the steps of an inference graph (a champion model and its challengers) per fixed
 * event-time window, from the {@code steps} that every graph prediction carries: for each step, how
 * many trips it answered, its mean probability and its share of positives (p ≥ 0.5), and which
 * model versions answered; for the champion against each other step, over the trips both answered
 * (an {@code Ensemble} in shadow mode), the number of pairs, the mean absolute difference of the
 * probabilities and the agreement rate at 0.5. A {@code Splitter} gives per-step figures and no
 * pairs (each trip has one answer). A prediction without steps (a single model) counts under its
 * model name.
 *
 * <p>Windowing: {@link MonitoringWindows} of {@link #DEFAULT_WINDOW} ({@link #withWindow}) on
 * Tidemark's {@link ComputePanes}, as {@code MonitorPredictions} does: an on-time report when the
 * watermark passes the end of the window, then one late report per late prediction within the
 * allowed lateness (discarding, so late figures add to the on-time ones rather than repeat them).
 * Later predictions are captured on {@link #LATE} (the prediction's JSON, its window and the
 * reason), never dropped.
 *
 * <p>Outputs, by tag: {@link #REPORTS} one report per pane; {@link #LATE} the too-late predictions.
 *
 * <pre>
 * predictions.apply("CompareChampionChallenger", CompareChampionChallenger.of("champion"))
 * </pre>
 */
public final class CompareChampionChallenger
    extends PTransform<PCollection<TripPrediction>, PCollectionTuple> {

  /** Output: one report per window and pane. */
  public static final TupleTag<ChampionChallengerReport> REPORTS =
      new TupleTag<ChampionChallengerReport>() {};

  /** Output: predictions later than the allowed lateness, as their JSON record. */
  public static final TupleTag<LateElement<String>> LATE = new TupleTag<LateElement<String>>() {};

  /** Default window: five minutes of event time. */
  public static final Duration DEFAULT_WINDOW = Duration.standardMinutes(5);

  /** Default allowed lateness: late predictions within it are reported in late panes. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(30);

  /** The probability from which a prediction counts as positive (tip above 20%). */
  public static final double POSITIVE = 0.5;

  private final String champion;
  private final Duration window;
  private final Duration allowedLateness;

  private CompareChampionChallenger(String champion, Duration window, Duration allowedLateness) {
    this.champion = champion;
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  /** Compares every step with the step named {@code championStep}. */
  public static CompareChampionChallenger of(String championStep) {
    return new CompareChampionChallenger(championStep, DEFAULT_WINDOW, DEFAULT_ALLOWED_LATENESS);
  }

  /** Fixed windows of {@code size} instead of five minutes. */
  public CompareChampionChallenger withWindow(Duration size) {
    return new CompareChampionChallenger(champion, size, allowedLateness);
  }

  /** Reports late predictions up to {@code lateness} after the end of their window. */
  public CompareChampionChallenger withAllowedLateness(Duration lateness) {
    return new CompareChampionChallenger(champion, window, lateness);
  }

  /** The windowing policy of the comparison windows. */
  public WindowingPolicy policy() {
    return MonitoringWindows.of(window, allowedLateness);
  }

  @Override
  public PCollectionTuple expand(PCollection<TripPrediction> predictions) {
    Panes<String, TripPrediction, Summary> panes =
        predictions
            .apply("OneComparisonPerWindow", WithKeys.of(ALL))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), predictions.getCoder()))
            .apply("SummarizeSteps", ComputePanes.of(policy(), new SummarizeStepsFn(champion)));
    PCollection<ChampionChallengerReport> reports =
        panes
            .panes()
            .apply("ToReport", ParDo.of(new ToReportFn()))
            .setCoder(TidemarkCoders.CHAMPION_CHALLENGER_REPORT);
    PCollection<LateElement<String>> late =
        panes
            .late()
            .apply("DescribeTooLatePrediction", ParDo.of(new DescribeLateFn()))
            .setCoder(LateElement.coder(StringUtf8Coder.of()));
    return PCollectionTuple.of(REPORTS, reports).and(LATE, late);
  }

  /** The one key under which a window's predictions are compared. */
  static final String ALL = "all";

  /** A too-late prediction as its JSON record, with its window, watermark and reason. */
  static final class DescribeLateFn
      extends DoFn<LateElement<KV<String, TripPrediction>>, LateElement<String>> {
    private final Counter tooLate =
        Metrics.counter(CompareChampionChallenger.class, "tooLatePredictions");

    @ProcessElement
    public void processElement(
        @Element LateElement<KV<String, TripPrediction>> late,
        OutputReceiver<LateElement<String>> out) {
      tooLate.inc();
      out.output(
          new LateElement<>(
              late.element().getValue().toJson(),
              late.timestamp(),
              late.windowStart(),
              late.windowEnd(),
              late.watermark(),
              late.reason()));
    }
  }

  /** Running figures of one step. */
  static final class StepStats implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    double probabilitySum;
    long positives;
    final TreeSet<String> versions = new TreeSet<>();
  }

  /** Running figures of the champion against one other step. */
  static final class PairStats implements Serializable {
    private static final long serialVersionUID = 1L;
    long pairs;
    double absoluteDifferenceSum;
    long agreements;
  }

  /** What a pane gathers: per step, and per challenger paired with the champion. */
  static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeMap<String, StepStats> steps = new TreeMap<>();
    final TreeMap<String, PairStats> pairs = new TreeMap<>();
  }

  /** Per step (count, probability sum, positives, versions), then per pair, in key order. */
  static final class StatsCoder extends AtomicCoder<Stats> {
    static final StatsCoder INSTANCE = new StatsCoder();
    private static final Coder<String> TEXT = StringUtf8Coder.of();

    @Override
    public void encode(Stats s, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      VarInt.encode(s.steps.size(), out);
      for (Map.Entry<String, StepStats> e : s.steps.entrySet()) {
        TEXT.encode(e.getKey(), out);
        VarInt.encode(e.getValue().count, out);
        data.writeDouble(e.getValue().probabilitySum);
        data.flush();
        VarInt.encode(e.getValue().positives, out);
        VarInt.encode(e.getValue().versions.size(), out);
        for (String v : e.getValue().versions) {
          TEXT.encode(v, out);
        }
      }
      VarInt.encode(s.pairs.size(), out);
      for (Map.Entry<String, PairStats> e : s.pairs.entrySet()) {
        TEXT.encode(e.getKey(), out);
        VarInt.encode(e.getValue().pairs, out);
        data.writeDouble(e.getValue().absoluteDifferenceSum);
        data.flush();
        VarInt.encode(e.getValue().agreements, out);
      }
    }

    @Override
    public Stats decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      Stats s = new Stats();
      int steps = VarInt.decodeInt(in);
      for (int i = 0; i < steps; i++) {
        StepStats st = new StepStats();
        String name = TEXT.decode(in);
        st.count = VarInt.decodeLong(in);
        st.probabilitySum = data.readDouble();
        st.positives = VarInt.decodeLong(in);
        int versions = VarInt.decodeInt(in);
        for (int v = 0; v < versions; v++) {
          st.versions.add(TEXT.decode(in));
        }
        s.steps.put(name, st);
      }
      int pairs = VarInt.decodeInt(in);
      for (int i = 0; i < pairs; i++) {
        PairStats p = new PairStats();
        String name = TEXT.decode(in);
        p.pairs = VarInt.decodeLong(in);
        p.absoluteDifferenceSum = data.readDouble();
        p.agreements = VarInt.decodeLong(in);
        s.pairs.put(name, p);
      }
      return s;
    }
  }

  /** The champion's step name, then the statistics. */
  static final class SummaryCoder extends AtomicCoder<Summary> {
    static final SummaryCoder INSTANCE = new SummaryCoder();

    @Override
    public void encode(Summary s, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(s.champion(), out);
      StatsCoder.INSTANCE.encode(s.stats(), out);
    }

    @Override
    public Summary decode(InputStream in) throws IOException {
      return new Summary(StringUtf8Coder.of().decode(in), StatsCoder.INSTANCE.decode(in));
    }
  }

  /** The figures of a pane, without its window (which {@link ToReportFn} adds). */
  record Summary(String champion, Stats stats) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Sums counts, probabilities, positives and pair differences; order-independent. */
  static final class SummarizeStepsFn extends Combine.CombineFn<TripPrediction, Stats, Summary> {
    private final String champion;

    SummarizeStepsFn(String champion) {
      this.champion = champion;
    }

    @Override
    public Stats createAccumulator() {
      return new Stats();
    }

    @Override
    public Stats addInput(Stats acc, TripPrediction p) {
      List<StepOutput> outputs =
          p.steps().isEmpty()
              ? List.of(new StepOutput(p.model(), p.model(), p.version(), p.probability()))
              : p.steps();
      StepOutput champ = null;
      for (StepOutput o : outputs) {
        StepStats s = acc.steps.computeIfAbsent(o.step(), k -> new StepStats());
        s.count++;
        s.probabilitySum += o.probability();
        s.positives += o.probability() >= POSITIVE ? 1 : 0;
        s.versions.add(o.model() + "@" + o.version());
        if (champ == null && o.step().equals(champion)) {
          champ = o;
        }
      }
      if (champ != null) {
        for (StepOutput o : outputs) {
          if (!o.step().equals(champion)) {
            PairStats ps = acc.pairs.computeIfAbsent(o.step(), k -> new PairStats());
            ps.pairs++;
            ps.absoluteDifferenceSum += Math.abs(champ.probability() - o.probability());
            ps.agreements +=
                (champ.probability() >= POSITIVE) == (o.probability() >= POSITIVE) ? 1 : 0;
          }
        }
      }
      return acc;
    }

    @Override
    public Stats mergeAccumulators(Iterable<Stats> accs) {
      Stats out = new Stats();
      for (Stats a : accs) {
        for (Map.Entry<String, StepStats> e : a.steps.entrySet()) {
          StepStats s = out.steps.computeIfAbsent(e.getKey(), k -> new StepStats());
          s.count += e.getValue().count;
          s.probabilitySum += e.getValue().probabilitySum;
          s.positives += e.getValue().positives;
          s.versions.addAll(e.getValue().versions);
        }
        for (Map.Entry<String, PairStats> e : a.pairs.entrySet()) {
          PairStats s = out.pairs.computeIfAbsent(e.getKey(), k -> new PairStats());
          s.pairs += e.getValue().pairs;
          s.absoluteDifferenceSum += e.getValue().absoluteDifferenceSum;
          s.agreements += e.getValue().agreements;
        }
      }
      return out;
    }

    @Override
    public Summary extractOutput(Stats acc) {
      return new Summary(champion, acc);
    }

    @Override
    public Coder<Stats> getAccumulatorCoder(CoderRegistry registry, Coder<TripPrediction> input) {
      return StatsCoder.INSTANCE;
    }

    @Override
    public Coder<Summary> getDefaultOutputCoder(CoderRegistry registry, Coder<TripPrediction> in) {
      return SummaryCoder.INSTANCE;
    }
  }

  /** Turns a pane's figures into the report of its window. */
  static final class ToReportFn extends DoFn<KV<String, Summary>, ChampionChallengerReport> {
    @ProcessElement
    public void processElement(
        @Element KV<String, Summary> keyed,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<ChampionChallengerReport> out) {
      Summary summary = keyed.getValue();
      Stats stats = summary.stats();
      if (stats.steps.isEmpty()) {
        // A pane without predictions says nothing; the embedded FlinkRunner emits one per window
        // besides the real one (seen in the demo with parallelism 2), so it is not reported.
        return;
      }
      List<ChampionChallengerReport.StepSummary> steps = new ArrayList<>();
      stats.steps.forEach(
          (name, s) ->
              steps.add(
                  new ChampionChallengerReport.StepSummary(
                      name,
                      new ArrayList<>(s.versions),
                      s.count,
                      s.probabilitySum / s.count,
                      (double) s.positives / s.count)));
      List<ChampionChallengerReport.PairSummary> pairs = new ArrayList<>();
      stats.pairs.forEach(
          (name, p) ->
              pairs.add(
                  new ChampionChallengerReport.PairSummary(
                      summary.champion(),
                      name,
                      p.pairs,
                      p.absoluteDifferenceSum / p.pairs,
                      (double) p.agreements / p.pairs)));
      out.output(
          new ChampionChallengerReport(
              window.start().getMillis(),
              window.end().getMillis(),
              pane.getTiming().name(),
              steps,
              pairs));
    }
  }
}
