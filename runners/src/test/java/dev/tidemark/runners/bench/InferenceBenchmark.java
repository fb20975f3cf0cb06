package dev.tidemark.runners.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.pipelines.TrainTaxiTips;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.NoOpScorer;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.TripScorer;
import dev.tidemark.transforms.inference.remote.RemoteScorer;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Cost and latency of inference in a streaming pipeline on the embedded FlinkRunner, side by side
 * in one run: the same pipeline ({@code GenerateTrips → ScoreTrips → RecordLatency}) with a no-op
 * model, with the exported XGBoost model in process and batched (at most {@link
 * ScoreTrips#DEFAULT_MAX_BATCH_SIZE} rows per call, bounded by Flink's bundle), the same unbatched
 * (one predict call per trip), and — with {@code --remote=true} — the model server's V2 {@code
 * infer} (see {@link #remoteScorer}). Each variant runs {@code --rounds} times, alternating, after
 * {@code --warmup} unreported runs (JIT, class loading, Flink start, the native XGBoost library).
 *
 * <p>Concepts:
 *
 * <ul>
 *   <li>The source cycles through the trips of the shipped sample ({@code
 *       data/chicago-taxi/trips.csv}, parsed by {@link TaxiTripCsv}) and stamps each trip with its
 *       creation time as its event time, so that the sink measures event-to-prediction latency as
 *       {@code now - timestamp} (milliseconds: a Beam timestamp's resolution). The latency
 *       therefore covers the buffering in {@link ScoreTrips} (bounded by Flink's bundle: {@code
 *       --maxBundleSize} elements or {@code --maxBundleTimeMills}, whichever comes first: a bundle
 *       fills in {@code maxBundleSize / rate}), the scorer call and the hand-over to the next
 *       operator.
 *   <li>Latencies go into a static, per-run {@link RunStats} (an exact histogram with 1 ms buckets,
 *       and the first and last output times), not into a Beam {@code Distribution}, which keeps
 *       only min, max, sum and count: the embedded runner runs the DoFns in this JVM, so a static
 *       collector sees every output. That would not work on a remote cluster.
 *   <li>Three costs per event: wall time of the whole {@code run()} (includes the embedded Flink
 *       start, ~1–2 s, which dilutes the ratios; {@code PaneOverheadBenchmark} has the same
 *       caveat); the CPU time of this JVM and of the model server (remote variant) over the same
 *       interval (all threads; unlike wall time, not inflated when other processes take the cores);
 *       and the in-pipeline span from the first trip generated to the last prediction recorded (no
 *       Flink start, but wall time). Ratios are of medians measured in the same run, and the added
 *       cost in µs per event is given too, since a ratio depends on how heavy the baseline is: with
 *       Flink's default {@code --objectReuse=false} every element is copied through its coder
 *       between chained operators (Java serialization for {@code TaxiTrip} and {@code
 *       TripPrediction}), ~20 µs per event, which dwarfs inference; {@code --objectReuse=true}
 *       shows the lean pipeline.
 *   <li>{@code --rate=N} paces the source at N events/s (see {@link ToSampleTripFn}): the latency
 *       figures at a given load. Flat out ({@code --rate=0}, the default), they are those of a
 *       saturated pipeline.
 *   <li>Every variant's scorer is wrapped in {@link MeasuredFactory}, which counts calls and rows
 *       and the time spent inside {@code score()} (mean batch size, scorer µs per event), so the
 *       time of inference itself and that of the pipeline around it are reported apart.
 * </ul>
 *
 * <p>The model is trained first by the real training pipeline ({@link TrainTaxiTips} on the
 * DirectRunner, as {@code bin/tidemark train --output DIR} does) into a temporary model store,
 * unless {@code --modelStore=DIR} names a store that already holds {@code taxi-tips}.
 *
 * <pre>
 * bin/benchmark InferenceBenchmark --events=300000 --rounds=3 --warmup=1
 * bin/benchmark InferenceBenchmark --events=300000 --objectReuse=true
 * bin/benchmark InferenceBenchmark --events=50000 --rate=5000 --rounds=2   # latency at a load
 * bin/benchmark InferenceBenchmark --rate=5000 --maxBundleTimeMills=100 --maxBundleSize=100
 * bin/benchmark InferenceBenchmark --remote=true    # + the model server (see remoteScorer)
 * </pre>
 */
public final class InferenceBenchmark {

  /**
   * Benchmark options, with FlinkRunner's own: {@code --parallelism} (here 1 unless given), {@code
   * --maxBundleSize}, {@code --maxBundleTimeMills} (both 1000 by default) and {@code --objectReuse}
   * (false by default) are passed on to the pipelines.
   */
  public interface Options extends FlinkPipelineOptions {
    @Description("Number of generated trip events per run.")
    @Default.Long(300_000L)
    long getEvents();

    void setEvents(long value);

    @Description("Measured rounds per variant.")
    @Default.Integer(3)
    int getRounds();

    void setRounds(int value);

    @Description("Warm-up runs of each variant (not reported).")
    @Default.Integer(1)
    int getWarmup();

    void setWarmup(int value);

    @Description("Offered load in trip events per second; 0 = as fast as the pipeline goes.")
    @Default.Long(0L)
    long getRate();

    void setRate(long value);

    @Description("A model store directory that already holds taxi-tips; empty = train one.")
    @Default.String("")
    String getModelStore();

    void setModelStore(String value);

    @Description("Also benchmark remote inference through the model server (see remoteScorer).")
    @Default.Boolean(false)
    boolean getRemote();

    void setRemote(boolean value);
  }

  /** The model version the benchmark trains and scores with. */
  static final String VERSION = "20261127T000000Z";

  /** The shipped sample, relative to the repository root. */
  static final String SAMPLE = "data/chicago-taxi/trips.csv";

  /** A named way of scoring: what changes between the variants of the one pipeline. */
  record Variant(String name, TripScorer.Factory factory, int maxBatchSize) {}

  private InferenceBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options opts = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    // Before the first read of maxBundleSize / maxBundleTimeMills: their defaults depend on it.
    opts.setStreaming(true);
    if (opts.getParallelism() == null || opts.getParallelism() < 1) {
      opts.setParallelism(1);
    }
    Path tmp = Files.createTempDirectory("inference-benchmark");
    ModelServerProcess server = null;
    try {
      String store = opts.getModelStore();
      if (store.isEmpty()) {
        store = tmp.resolve("models").toString();
        train(store, tmp);
      }
      List<Variant> variants = new ArrayList<>();
      variants.add(
          new Variant("no-op", NoOpScorer.constant(0.5), ScoreTrips.DEFAULT_MAX_BATCH_SIZE));
      TripScorer.Factory inProcess =
          InProcessScorer.latest(
              store,
              ModelFiles.TAXI_TIPS,
              ScoreTrips.DEFAULT_POLL_INTERVAL,
              ProcessingClock.system());
      variants.add(new Variant("in-process", inProcess, ScoreTrips.DEFAULT_MAX_BATCH_SIZE));
      variants.add(new Variant("unbatched", inProcess, 1));
      if (opts.getRemote()) {
        server = ModelServerProcess.start(store, tmp.resolve("model-server.log"));
        System.err.println("model server at " + server.url());
        variants.add(
            new Variant(
                "remote",
                remoteScorer(server.inferUrl(ModelFiles.TAXI_TIPS, null), store),
                ScoreTrips.DEFAULT_MAX_BATCH_SIZE));
      }
      measure(variants, opts);
    } finally {
      if (server != null) {
        server.close();
      }
      deleteRecursively(tmp);
    }
  }

  /**
   * Variant 4: scoring through the model server's Open Inference Protocol V2 {@code infer} at
   * {@code inferUrl} (a server this benchmark started on the trained store, in its own JVM), with
   * the defaults of {@link RemoteScorer} (up to 1024 rows per request) and, like {@code
   * predict-tips --inference=remote}, feature vectors computed locally from the store for drift
   * monitoring, so that the outputs equal the in-process variant's.
   */
  static TripScorer.Factory remoteScorer(String inferUrl, String store) {
    return RemoteScorer.at(inferUrl).withFeaturesFrom(store);
  }

  /** Runs every variant {@code warmup + rounds} times, alternating, and prints the figures. */
  private static void measure(List<Variant> variants, Options opts) {
    int n = variants.size();
    List<List<Run>> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(new ArrayList<>());
    }
    for (int round = -opts.getWarmup(); round < opts.getRounds(); round++) {
      for (int i = 0; i < n; i++) {
        Variant v = variants.get(i);
        String runId = v.name() + "#" + round;
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        PipelineResult result = build(v, runId, opts).run();
        result.waitUntilFinish();
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (processCpuNanos() - cpuStart) / 1_000_000;
        RunStats stats = RunStats.of(runId);
        Run r = new Run(wallMs, cpuMs, stats, batchSizeMetric(result));
        String label = round < 0 ? "warm-up" : "round " + (round + 1);
        System.err.printf(
            Locale.ROOT,
            "%-8s %-11s wall %6d ms  cpu %6d ms  pipeline %6d ms  %d predictions  %d failures"
                + "  mean batch %.1f  p99 %d ms%n",
            label,
            v.name(),
            wallMs,
            cpuMs,
            stats.spanMillis(),
            stats.predictions.get(),
            stats.failures.get(),
            stats.meanBatch(),
            stats.percentile(0.99));
        if (stats.predictions.get() + stats.failures.get() != opts.getEvents()) {
          throw new IllegalStateException(
              v.name()
                  + ": "
                  + opts.getEvents()
                  + " trips in, but "
                  + stats.predictions.get()
                  + " predictions + "
                  + stats.failures.get()
                  + " failures out");
        }
        if (round >= 0) {
          runs.get(i).add(r);
        }
      }
    }
    report(variants, runs, opts);
  }

  /** One measured run of one variant. */
  private record Run(long wallMs, long cpuMs, RunStats stats, DistributionResult scoreTripsBatch) {}

  /**
   * CPU time of this JVM, all threads (Flink's, GC, JIT), plus that of its child processes (the
   * model server of the remote variant): not inflated by other processes, unlike wall time.
   */
  private static long processCpuNanos() {
    long own =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long children =
        ProcessHandle.current()
            .children()
            .mapToLong(c -> c.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
            .sum();
    return own + children;
  }

  private static void report(List<Variant> variants, List<List<Run>> runs, Options opts) {
    long events = opts.getEvents();
    System.out.printf(
        Locale.ROOT,
        "%nInference on embedded FlinkRunner (streaming, parallelism %d, maxBundleSize %d,"
            + " maxBundleTimeMills %d, objectReuse %s, offered load %s): %,d trip events per run,"
            + " %d rounds after %d warm-up; medians of the rounds%n",
        opts.getParallelism(),
        opts.getMaxBundleSize(),
        opts.getMaxBundleTimeMills(),
        opts.getObjectReuse(),
        opts.getRate() > 0 ? opts.getRate() + " events/s" : "unlimited",
        events,
        opts.getRounds(),
        opts.getWarmup());
    System.out.printf(
        Locale.ROOT,
        "%-11s %8s %9s %10s %8s %8s | %9s %10s %8s %8s %8s | %6s %6s %6s | %7s %9s%n",
        "variant",
        "wall best",
        "wall med",
        "events/s",
        "µs/event",
        "cpu µs",
        "pipe best",
        "events/s",
        "µs/event",
        "scorer",
        "scor cpu",
        "p50 ms",
        "p99 ms",
        "max ms",
        "batch",
        "SKT batch");
    double[] wallUs = new double[variants.size()];
    double[] pipeUs = new double[variants.size()];
    double[] cpuUs = new double[variants.size()];
    for (int i = 0; i < variants.size(); i++) {
      List<Run> rs = runs.get(i);
      double wallMed = median(rs.stream().mapToDouble(Run::wallMs).toArray());
      long wallBest = rs.stream().mapToLong(Run::wallMs).min().orElse(0);
      double pipeMed = median(rs.stream().mapToDouble(r -> r.stats().spanMillis()).toArray());
      long pipeBest = rs.stream().mapToLong(r -> r.stats().spanMillis()).min().orElse(0);
      double scorerUs =
          median(
              rs.stream().mapToDouble(r -> r.stats().scoreNanos.get() / 1000.0 / events).toArray());
      double scorerCpuUs =
          median(
              rs.stream()
                  .mapToDouble(r -> r.stats().scoreCpuNanos.get() / 1000.0 / events)
                  .toArray());
      cpuUs[i] = median(rs.stream().mapToDouble(Run::cpuMs).toArray()) * 1000.0 / events;
      RunStats merged = RunStats.merge(rs.stream().map(Run::stats).toList());
      DistributionResult skt = rs.get(rs.size() - 1).scoreTripsBatch();
      wallUs[i] = wallMed * 1000.0 / events;
      pipeUs[i] = pipeMed * 1000.0 / events;
      System.out.printf(
          Locale.ROOT,
          "%-11s %8d %9.0f %10.0f %8.2f %8.2f | %9d %10.0f %8.2f %8.2f %8.2f | %6d %6d %6d |"
              + " %7.1f %9s%n",
          variants.get(i).name(),
          wallBest,
          wallMed,
          events / (wallMed / 1000.0),
          wallUs[i],
          cpuUs[i],
          pipeBest,
          events / (pipeMed / 1000.0),
          pipeUs[i],
          scorerUs,
          scorerCpuUs,
          merged.percentile(0.50),
          merged.percentile(0.99),
          merged.percentile(1.0),
          merged.meanBatch(),
          skt == null || skt.getCount() == 0
              ? "-"
              : String.format(Locale.ROOT, "%.1f", skt.getMean()));
    }
    System.out.printf(
        Locale.ROOT,
        "%nPer-event cost vs no-op (target for in-process: x <= 1.25)%n"
            + "%-11s %9s %9s %9s %12s %12s %12s%n",
        "variant",
        "x (wall)",
        "x (cpu)",
        "x (pipe)",
        "+µs (wall)",
        "+µs (cpu)",
        "+µs (pipe)");
    for (int i = 1; i < variants.size(); i++) {
      System.out.printf(
          Locale.ROOT,
          "%-11s %9.2f %9.2f %9.2f %12.2f %12.2f %12.2f%n",
          variants.get(i).name(),
          wallUs[i] / wallUs[0],
          cpuUs[i] / cpuUs[0],
          pipeUs[i] / pipeUs[0],
          wallUs[i] - wallUs[0],
          cpuUs[i] - cpuUs[0],
          pipeUs[i] - pipeUs[0]);
    }
    System.out.println(
        "\nwall = run() to waitUntilFinish(), including the embedded Flink start; cpu = CPU time"
            + " of this JVM and the model server's over the same interval, per event; pipe = first trip"
            + " generated to last prediction recorded; scorer / scor cpu = wall / thread-CPU µs per"
            + " event inside TripScorer.score(); batch = mean trips per scorer call; SKT batch = ScoreTrips'"
            + " batchSize metric (in-process only); latency = event creation to prediction"
            + " recorded, 1 ms buckets, all rounds.");
  }

  private static Pipeline build(Variant v, String runId, Options opts) {
    String[] args = {
      "--runner=FlinkRunner",
      "--flinkMaster=[local]",
      "--streaming=true",
      "--parallelism=" + opts.getParallelism(),
      "--maxBundleSize=" + opts.getMaxBundleSize(),
      "--maxBundleTimeMills=" + opts.getMaxBundleTimeMills(),
      "--objectReuse=" + opts.getObjectReuse()
    };
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    PCollection<TaxiTrip> trips =
        p.apply("GenerateSequence", GenerateSequence.from(0).to(opts.getEvents()))
            .apply(
                "ToSampleTrip", ParDo.of(new ToSampleTripFn(opts.getRate(), opts.getParallelism())))
            // The coder the streaming pipeline's trips have (ParseTrips).
            .setCoder(TaxiTripCoder.of());
    PCollectionTuple scored =
        trips.apply(
            "ScoreTrips",
            ScoreTrips.with(new MeasuredFactory(v.factory(), runId))
                .withMaxBatchSize(v.maxBatchSize()));
    scored.get(ScoreTrips.PREDICTIONS).apply("RecordLatency", ParDo.of(new RecordLatencyFn(runId)));
    scored.get(ScoreTrips.FAILED).apply("CountFailures", ParDo.of(new CountFailuresFn(runId)));
    return p;
  }

  /** Trains taxi-tips {@link #VERSION} on the shipped sample into {@code store}. */
  static void train(String store, Path tmp) {
    System.err.println("training taxi-tips on the shipped sample (DirectRunner) into " + store);
    long start = System.nanoTime();
    TrainTaxiTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--input=" + repositoryRoot().resolve(SAMPLE),
                "--output=" + store,
                "--modelVersion=" + VERSION,
                "--rejectsOutput=" + tmp.resolve("rejects/rejects"))
            .as(TrainTaxiTips.Options.class);
    TrainTaxiTips.run(options).waitUntilFinish();
    System.err.printf("trained in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Trip n: the sample's trip {@code n mod size}, with its creation time as its timestamp. Flat
   * out, the creation time is now. At an offered load ({@code rate} > 0 events/s over all {@code
   * parallelism} instances) this DoFn paces its elements and stamps each with the time it was due,
   * not the time it left: a pipeline that falls behind then shows its lag as latency, instead of
   * slowing the clock of the events it has not yet generated (no coordinated omission).
   */
  static final class ToSampleTripFn extends DoFn<Long, TaxiTrip> {
    private final long rate;
    private final int parallelism;
    private transient List<TaxiTrip> sample;
    private transient long startNanos;
    private transient long startMillis;
    private transient long emitted;

    ToSampleTripFn(long rate, int parallelism) {
      this.rate = rate;
      this.parallelism = parallelism;
    }

    @Setup
    public void setup() throws IOException {
      sample = sampleTrips();
      emitted = -1;
    }

    @ProcessElement
    public void processElement(@Element Long n, OutputReceiver<TaxiTrip> out) {
      TaxiTrip trip = sample.get((int) (n % sample.size()));
      if (rate <= 0) {
        out.outputWithTimestamp(trip, new Instant(System.currentTimeMillis()));
        return;
      }
      if (emitted < 0) {
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
        emitted = 0;
      }
      long dueNanos = emitted++ * parallelism * 1_000_000_000L / rate;
      long wait = dueNanos - (System.nanoTime() - startNanos);
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      out.outputWithTimestamp(trip, new Instant(startMillis + dueNanos / 1_000_000));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /**
   * The repository root: the nearest ancestor of the working directory holding the sample. ({@code
   * SampleData} of the testing test-jar does the same, but bin/benchmark's classpath is the runtime
   * one.)
   */
  static Path repositoryRoot() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(SAMPLE))) {
        return p;
      }
    }
    throw new IllegalStateException("no " + SAMPLE + " above the working directory");
  }

  /** The parseable trips of the shipped sample, in file order. */
  static List<TaxiTrip> sampleTrips() throws IOException {
    List<TaxiTrip> out = new ArrayList<>();
    for (String line : Files.readAllLines(repositoryRoot().resolve(SAMPLE), UTF_8)) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        out.add(TaxiTripCsv.parse(line));
      } catch (MalformedTripException e) {
        // Not a trip: the sample has a few malformed lines on purpose.
      }
    }
    return out;
  }

  /** Records each prediction's event-to-prediction latency and output time in its run's stats. */
  static final class RecordLatencyFn extends DoFn<TripPrediction, Void> {
    private final String runId;
    private transient RunStats stats;

    RecordLatencyFn(String runId) {
      this.runId = runId;
    }

    @Setup
    public void setup() {
      stats = RunStats.of(runId);
    }

    @ProcessElement
    public void processElement(@Element TripPrediction p) {
      stats.recordPrediction(p.eventTimeMillis(), System.currentTimeMillis());
    }
  }

  /** Counts trips that could not be scored (none expected). */
  static final class CountFailuresFn extends DoFn<Reject, Void> {
    private final String runId;

    CountFailuresFn(String runId) {
      this.runId = runId;
    }

    @ProcessElement
    public void processElement(@Element Reject f) {
      RunStats s = RunStats.of(runId);
      if (s.failures.getAndIncrement() == 0) {
        System.err.println("first failure: " + f.reason());
      }
    }
  }

  /**
   * Wraps a variant's scorer factory: its scorers count calls, rows and the wall and thread-CPU
   * nanoseconds spent in {@code score()} into the run's {@link RunStats}. Costs two {@code
   * nanoTime} and two thread-CPU-time calls per batch (~1 µs: noticeable only unbatched).
   */
  static final class MeasuredFactory implements TripScorer.Factory {
    private static final long serialVersionUID = 1L;
    private static final java.lang.management.ThreadMXBean THREADS =
        java.lang.management.ManagementFactory.getThreadMXBean();
    private final TripScorer.Factory inner;
    private final String runId;

    MeasuredFactory(TripScorer.Factory inner, String runId) {
      this.inner = inner;
      this.runId = runId;
    }

    @Override
    public TripScorer open() throws IOException {
      TripScorer scorer = inner.open();
      RunStats stats = RunStats.of(runId);
      return new TripScorer() {
        @Override
        public List<ScoreOutcome> score(List<TaxiTrip> trips) {
          long cpuStart = THREADS.getCurrentThreadCpuTime();
          long start = System.nanoTime();
          List<ScoreOutcome> out = scorer.score(trips);
          stats.scoreNanos.addAndGet(System.nanoTime() - start);
          stats.scoreCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
          stats.calls.incrementAndGet();
          stats.rows.addAndGet(trips.size());
          return out;
        }

        @Override
        public void close() {
          scorer.close();
        }
      };
    }
  }

  /**
   * What one run measured, collected in this JVM by the DoFns of the embedded runner: latencies in
   * an exact histogram of 1 ms buckets up to one minute, output counts, the first creation and last
   * output times, and the scorer's calls, rows and time.
   */
  static final class RunStats {
    private static final Map<String, RunStats> RUNS = new ConcurrentHashMap<>();
    private static final int MAX_MS = 60_000;

    final AtomicLongArray latencyMs = new AtomicLongArray(MAX_MS + 1);
    final AtomicLong predictions = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong firstCreatedMillis = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastOutputMillis = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong scoreNanos = new AtomicLong();
    final AtomicLong scoreCpuNanos = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong rows = new AtomicLong();

    static RunStats of(String runId) {
      return RUNS.computeIfAbsent(runId, id -> new RunStats());
    }

    static RunStats merge(List<RunStats> all) {
      RunStats m = new RunStats();
      for (RunStats s : all) {
        for (int i = 0; i <= MAX_MS; i++) {
          m.latencyMs.addAndGet(i, s.latencyMs.get(i));
        }
        m.predictions.addAndGet(s.predictions.get());
        m.calls.addAndGet(s.calls.get());
        m.rows.addAndGet(s.rows.get());
      }
      return m;
    }

    void recordPrediction(long createdMillis, long nowMillis) {
      latencyMs.incrementAndGet((int) Math.min(MAX_MS, Math.max(0, nowMillis - createdMillis)));
      predictions.incrementAndGet();
      firstCreatedMillis.accumulateAndGet(createdMillis, Math::min);
      lastOutputMillis.accumulateAndGet(nowMillis, Math::max);
    }

    /** First trip created to last prediction recorded. */
    long spanMillis() {
      return lastOutputMillis.get() - firstCreatedMillis.get();
    }

    double meanBatch() {
      return calls.get() == 0 ? 0 : (double) rows.get() / calls.get();
    }

    /** The smallest latency (ms) that at least {@code q} of the predictions did not exceed. */
    long percentile(double q) {
      long total = predictions.get();
      long rank = Math.max(1, (long) Math.ceil(q * total));
      long seen = 0;
      for (int i = 0; i <= MAX_MS; i++) {
        seen += latencyMs.get(i);
        if (seen >= rank) {
          return i;
        }
      }
      return MAX_MS;
    }
  }

  /** ScoreTrips' own {@code batchSize} distribution (updated by {@link InProcessScorer}). */
  private static DistributionResult batchSizeMetric(PipelineResult result) {
    try {
      for (MetricResult<DistributionResult> d :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(ScoreTrips.class, "batchSize"))
                      .build())
              .getDistributions()) {
        return d.getAttempted();
      }
    } catch (RuntimeException e) {
      System.err.println("no batchSize metric: " + e);
    }
    return null;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
