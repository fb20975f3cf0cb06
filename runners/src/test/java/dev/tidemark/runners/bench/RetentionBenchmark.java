package dev.tidemark.runners.bench;

import dev.tidemark.transforms.cep.MatchPattern;
import dev.tidemark.transforms.retention.CustomerEvent;
import dev.tidemark.transforms.retention.DetectRetentionActions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Benchmark (not run by {@code mvn verify}): events per second of the retention pattern ({@link
 * DetectRetentionActions}, keyed state and event-time timers) against a plain stateless ParDo over
 * the same generated input, side by side in one JVM on the embedded FlinkRunner, with the ratio and
 * the peak state per key.
 *
 * <p>Input: {@code events} synthetic session events over {@code customers} customers (each
 * customer's events in a shuffled, deterministic order), generated in the pipeline so that no I/O
 * is measured. Each pipeline runs once small to warm up, then once at full size.
 *
 * <pre>{@code
 * bin/benchmark RetentionBenchmark --events=1000000 --customers=100000 --rounds=3 [--streaming]
 * }</pre>
 */
public final class RetentionBenchmark {

  private static final Instant START = Instant.parse("2026-01-01T08:00:00Z");
  private static final String NS = RetentionBenchmark.class.getName();

  /** One customer's script, by position: login, adds, drops, a checkout, a logout. */
  private static final CustomerEvent.Type[] SCRIPT = {
    CustomerEvent.Type.LOGIN,
    CustomerEvent.Type.ADD_TO_CART,
    CustomerEvent.Type.ADD_TO_CART,
    CustomerEvent.Type.CART_DROPPED,
    CustomerEvent.Type.ADD_TO_CART,
    CustomerEvent.Type.CART_DROPPED,
    CustomerEvent.Type.CHECKOUT,
    CustomerEvent.Type.ADD_TO_CART,
    CustomerEvent.Type.CART_DROPPED,
    CustomerEvent.Type.LOGOUT
  };

  /** Options of the benchmark; {@code --streaming} picks Flink's streaming mode. */
  public interface Options extends StreamingOptions {
    @Description("Events to generate.")
    @Default.Long(1_000_000)
    long getEvents();

    void setEvents(long value);

    @Description("Customers (keys) the events are spread over.")
    @Default.Long(100_000)
    long getCustomers();

    void setCustomers(long value);

    @Description("Timed, interleaved rounds of each configuration; the fastest counts.")
    @Default.Integer(3)
    int getRounds();

    void setRounds(int value);
  }

  private RetentionBenchmark() {}

  private static Run fastest(Run best, Run candidate) {
    return best == null || candidate.seconds() < best.seconds() ? candidate : best;
  }

  /** Makes event {@code i}: customer {@code i mod customers}, step {@code i div customers}. */
  static final class MakeEventFn extends DoFn<Long, CustomerEvent> {
    private final long customers;

    MakeEventFn(long customers) {
      this.customers = customers;
    }

    @ProcessElement
    public void processElement(@Element Long i, OutputReceiver<CustomerEvent> out) {
      long customer = i % customers;
      int step = (int) ((i / customers) % SCRIPT.length);
      long mix = customer * 0x9E3779B97F4A7C15L;
      // Each customer's session starts somewhere in a 10-hour day; steps 1-12 minutes apart.
      long startMinute = Math.floorMod(mix >>> 20, 600L);
      long gap = 1 + Math.floorMod(mix >>> (step + 3), 12L);
      Instant time = START.plus(Duration.standardMinutes(startMinute + step * 6L + gap));
      Double value = SCRIPT[step] == CustomerEvent.Type.LOGIN ? null : 10.0 + step;
      CustomerEvent event = new CustomerEvent("c" + customer, SCRIPT[step], time, value);
      out.outputWithTimestamp(event, time);
    }
  }

  /**
   * The stateless baseline: the same per-event work without state: key each event by customer and
   * pass on the drops (what a rule that ignores history and time would act on).
   */
  static final class StatelessPassFn extends DoFn<CustomerEvent, KV<String, CustomerEvent>> {
    @ProcessElement
    public void processElement(
        @Element CustomerEvent e, OutputReceiver<KV<String, CustomerEvent>> out) {
      if (e.type() == CustomerEvent.Type.CART_DROPPED) {
        out.output(KV.of(e.customer(), e));
      }
    }
  }

  /** Counts what reaches the end of a pipeline, so that nothing is written out. */
  static final class CountFn<T> extends DoFn<T, Void> {
    private final Counter seen = Metrics.counter(NS, "outputs");

    @ProcessElement
    public void processElement(@Element T element) {
      seen.inc();
    }
  }

  /** Result of one timed run. */
  record Run(double seconds, long outputs, MetricQueryResults metrics) {}

  public static void main(String[] args) throws IOException {
    Options opts = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    long events = opts.getEvents();
    long customers = opts.getCustomers();
    boolean streaming = opts.isStreaming();
    int rounds = opts.getRounds();
    System.out.printf(
        Locale.ROOT,
        "Retention CEP vs stateless ParDo on embedded FlinkRunner (%s mode), %,d events, %,d"
            + " customers, %d cores%n",
        streaming ? "streaming" : "batch",
        events,
        customers,
        Runtime.getRuntime().availableProcessors());
    // Warm up (JIT, class loading), then time a small and a full run of each, --rounds times,
    // interleaved, keeping the fastest (the machine is shared): the difference between full and
    // small removes the fixed cost of starting and stopping the embedded cluster.
    long small = Math.max(customers, events / 10);
    run(false, small, customers, streaming);
    run(true, small, customers, streaming);
    Run statelessSmall = null;
    Run cepSmall = null;
    Run stateless = null;
    Run cep = null;
    List<Double> statelessTimes = new ArrayList<>();
    List<Double> cepTimes = new ArrayList<>();
    for (int rep = 0; rep < rounds; rep++) {
      statelessSmall = fastest(statelessSmall, run(false, small, customers, streaming));
      cepSmall = fastest(cepSmall, run(true, small, customers, streaming));
      Run s = run(false, events, customers, streaming);
      Run c = run(true, events, customers, streaming);
      statelessTimes.add(s.seconds());
      cepTimes.add(c.seconds());
      stateless = fastest(stateless, s);
      cep = fastest(cep, c);
    }
    Collections.sort(statelessTimes);
    Collections.sort(cepTimes);
    double statelessMedian = statelessTimes.get(rounds / 2);
    double cepMedian = cepTimes.get(rounds / 2);
    System.out.printf(
        Locale.ROOT,
        "full runs (s): stateless %s, CEP %s; median ratio %.2fx%n",
        statelessTimes,
        cepTimes,
        cepMedian / statelessMedian);
    System.out.printf(Locale.ROOT, "fastest of %d interleaved runs each:%n", rounds);
    double statelessMarginal = (events - small) / (stateless.seconds() - statelessSmall.seconds());
    double cepMarginal = (events - small) / (cep.seconds() - cepSmall.seconds());
    System.out.printf(
        Locale.ROOT,
        "%-16s %12s %16s %22s%n",
        "",
        "wall (s)",
        "events/s e2e",
        "events/s marginal (*)");
    System.out.printf(
        Locale.ROOT,
        "%-16s %12.2f %,16.0f %,22.0f   %,d candidate drops%n",
        "stateless ParDo",
        stateless.seconds(),
        events / stateless.seconds(),
        statelessMarginal,
        stateless.outputs());
    System.out.printf(
        Locale.ROOT,
        "%-16s %12.2f %,16.0f %,22.0f   %,d actions%n",
        "retention CEP",
        cep.seconds(),
        events / cep.seconds(),
        cepMarginal,
        cep.outputs());
    System.out.printf(
        Locale.ROOT,
        "(*) (%,d - %,d events) / (full - small run time): without cluster start-up%n",
        events,
        small);
    System.out.printf(
        Locale.ROOT,
        "cost ratio CEP / stateless: end to end %.2fx, marginal %s (target <= 3x)%n",
        cep.seconds() / stateless.seconds(),
        statelessMarginal > 0 && cepMarginal > 0
            ? String.format(Locale.ROOT, "%.2fx", statelessMarginal / cepMarginal)
            : "n/a (noise: a full run was not slower than a small one)");
    DistributionResult held = distribution(cep.metrics(), "eventsHeldPerKey");
    DistributionResult partial = distribution(cep.metrics(), "partialMatchesPerKey");
    long bytesPerEvent =
        encodedSize(new CustomerEvent("c99999", CustomerEvent.Type.ADD_TO_CART, START, 12.0))
            + 9; // + the timestamp of its buffer entry
    System.out.printf(
        Locale.ROOT,
        "peak state per key: %d events held (buffer + partial matches, mean %.1f over %,d"
            + " flushes), %d partial matches; ~%d bytes of events%n",
        held.getMax(),
        held.getMean(),
        held.getCount(),
        partial.getMax(),
        held.getMax() * bytesPerEvent);
    System.out.printf(
        Locale.ROOT,
        "keys released: %,d; keys still holding state at the end: %,d%n",
        counter(cep.metrics(), MatchPattern.METRICS_NAMESPACE, "keysReleased"),
        counter(cep.metrics(), MatchPattern.METRICS_NAMESPACE, "keysWithState"));
  }

  private static Run run(boolean cep, long events, long customers, boolean streaming) {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=2",
                "--streaming=" + streaming)
            .create();
    Pipeline p = Pipeline.create(options);
    PCollection<CustomerEvent> input =
        p.apply("GenerateIndexes", GenerateSequence.from(0).to(events))
            .apply("MakeEvents", ParDo.of(new MakeEventFn(customers)))
            .setCoder(CustomerEvent.coder());
    if (cep) {
      input
          .apply(
              "DetectRetentionActions",
              DetectRetentionActions.within(DetectRetentionActions.DEFAULT_WITHIN))
          .get(DetectRetentionActions.ACTIONS)
          .apply("CountActions", ParDo.of(new CountFn<>()));
    } else {
      input
          .apply("StatelessPass", ParDo.of(new StatelessPassFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), CustomerEvent.coder()))
          .apply("CountCandidates", ParDo.of(new CountFn<>()));
    }
    long start = System.nanoTime();
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("benchmark run ended in " + state);
    }
    MetricQueryResults metrics = result.metrics().allMetrics();
    Run r = new Run(seconds, counter(metrics, NS, "outputs"), metrics);
    System.err.printf(
        Locale.ROOT, "  run %s %,d events: %.2f s%n", cep ? "cep" : "stateless", events, seconds);
    return r;
  }

  private static long counter(MetricQueryResults metrics, String namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getNamespace().equals(namespace) && c.getName().getName().equals(name)) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }

  private static DistributionResult distribution(MetricQueryResults metrics, String name) {
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().getNamespace().equals(MatchPattern.METRICS_NAMESPACE)
          && d.getName().getName().equals(name)) {
        return d.getAttempted();
      }
    }
    return DistributionResult.IDENTITY_ELEMENT;
  }

  private static long encodedSize(CustomerEvent e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CustomerEvent.coder().encode(e, bytes);
    return bytes.size();
  }
}
