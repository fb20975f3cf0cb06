package dev.tidemark.runners.bench;

import dev.tidemark.transforms.panes.CaptureLateData;
import dev.tidemark.transforms.panes.ComputePanes;
import dev.tidemark.transforms.panes.Panes;
import dev.tidemark.transforms.panes.RetractPanes;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Cost of Tidemark's additions to a windowed aggregation, on the embedded FlinkRunner (streaming
 * mode), side by side in one run over the same generated events: a plain accumulating sum with
 * early firings (Beam's Window + Combine), the same followed by {@link RetractPanes}, and the same
 * preceded by {@link CaptureLateData} (what {@link ComputePanes} does). Each variant runs {@code
 * --rounds} times, alternating, after {@code --warmup} unreported runs (JIT, Flink start); the
 * report gives the best and median wall times and the ratios to the plain pipeline.
 *
 * <pre>
 * mvn -B -q -pl runners -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.tidemark.runners.bench.PaneOverheadBenchmark -Dexec.args="--events=1000000"
 * </pre>
 */
public final class PaneOverheadBenchmark {

  /** Benchmark options. */
  public interface Options extends PipelineOptions {
    @org.apache.beam.sdk.options.Description("Number of generated events.")
    @org.apache.beam.sdk.options.Default.Long(1_000_000L)
    long getEvents();

    void setEvents(long value);

    @org.apache.beam.sdk.options.Description("Rounds per variant.")
    @org.apache.beam.sdk.options.Default.Integer(2)
    int getRounds();

    void setRounds(int value);

    @org.apache.beam.sdk.options.Description("Number of keys.")
    @org.apache.beam.sdk.options.Default.Integer(100)
    int getKeys();

    void setKeys(int value);

    @org.apache.beam.sdk.options.Description("Warm-up runs of each variant (not reported).")
    @org.apache.beam.sdk.options.Default.Integer(1)
    int getWarmup();

    void setWarmup(int value);
  }

  private static final WindowingPolicy POLICY =
      WindowingPolicy.of(WindowSpec.parse("fixed:1m"))
          .withTrigger(TriggerSpec.parse("watermark(early=count(25))"))
          .withAccumulation(Accumulation.ACCUMULATING);

  private PaneOverheadBenchmark() {}

  public static void main(String[] args) {
    Options opts = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    String[] variants = {"plain", "retractions", "late-capture"};
    List<List<Long>> times = new ArrayList<>();
    for (String v : variants) {
      times.add(new ArrayList<>());
    }
    long[] panes = new long[variants.length];
    for (int round = -opts.getWarmup(); round < opts.getRounds(); round++) {
      for (int i = 0; i < variants.length; i++) {
        long start = System.nanoTime();
        PipelineResult result = build(variants[i], opts).run();
        result.waitUntilFinish();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (round < 0) {
          System.err.printf("warm-up %-13s %6d ms%n", variants[i], ms);
          continue;
        }
        times.get(i).add(ms);
        panes[i] = counter(result, "panesOut");
        System.err.printf(
            "round %d %-13s %6d ms  %d outputs%n", round + 1, variants[i], ms, panes[i]);
      }
    }
    double plainMedian = median(times.get(0));
    System.out.printf(
        Locale.ROOT,
        "%nPane overhead on embedded FlinkRunner (streaming): %,d events, %d keys, fixed 1m windows,"
            + " early firings every 25 elements, %d rounds%n",
        opts.getEvents(),
        opts.getKeys(),
        opts.getRounds());
    System.out.printf(
        Locale.ROOT,
        "%-13s %10s %10s %12s %9s %12s%n",
        "variant",
        "best ms",
        "median ms",
        "events/s",
        "x plain",
        "outputs");
    for (int i = 0; i < variants.length; i++) {
      double med = median(times.get(i));
      long best = times.get(i).stream().mapToLong(Long::longValue).min().orElse(0);
      System.out.printf(
          Locale.ROOT,
          "%-13s %10d %10.0f %12.0f %9.2f %12d%n",
          variants[i],
          best,
          med,
          opts.getEvents() / (med / 1000.0),
          med / plainMedian,
          panes[i]);
    }
  }

  private static Pipeline build(String variant, Options opts) {
    String[] args = {
      "--runner=FlinkRunner", "--flinkMaster=[local]", "--streaming=true", "--parallelism=2"
    };
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    PCollection<KV<String, Long>> events =
        p.apply("GenerateEvents", GenerateSequence.from(0).to(opts.getEvents()))
            .apply("ToTimestampedScores", ParDo.of(new ToScoreFn(opts.getKeys())));
    PCollection<?> out;
    switch (variant) {
      case "plain" ->
          out =
              events
                  .apply("Window", POLICY.<KV<String, Long>>toWindow())
                  .apply("Sum", Combine.perKey(Sum.ofLongs()));
      case "retractions" ->
          out =
              events
                  .apply("Window", POLICY.<KV<String, Long>>toWindow())
                  .apply("Sum", Combine.perKey(Sum.ofLongs()))
                  .apply("Retract", RetractPanes.create());
      default -> {
        Panes<String, Long, Long> panes =
            events.apply("ComputePanes", ComputePanes.of(POLICY, Sum.ofLongs()));
        out = panes.panes();
      }
    }
    out.apply("CountOutputs", ParDo.of(new CountFn<>()));
    return p;
  }

  /** Event n: key n mod keys, value 1, event time spread over one event per 6 ms. */
  static final class ToScoreFn extends DoFn<Long, KV<String, Long>> {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final int keys;

    ToScoreFn(int keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void processElement(@Element Long n, OutputReceiver<KV<String, Long>> out) {
      out.outputWithTimestamp(KV.of("k" + (n % keys), 1L), START.plus(Duration.millis(n * 6)));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Counts outputs so that every variant's result is consumed. */
  static final class CountFn<T> extends DoFn<T, Void> {
    private final Counter outputs = Metrics.counter(PaneOverheadBenchmark.class, "panesOut");

    @ProcessElement
    public void processElement() {
      outputs.inc();
    }
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getName().equals(name)) {
        total += c.getAttempted();
      }
    }
    return total;
  }

  private static double median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
  }
}
