package dev.tidemark.runners.bench;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.pipelines.kafka.LogPositions;
import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.runners.replay.ReplaySchedule;
import dev.tidemark.runners.replay.TripPublisher;
import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Single-broker produce and consume rates on this machine, side by side, in one session: Kafka's
 * own {@code ProducerPerformance} and {@code ConsumerPerformance} (the limit), the replay tool's
 * producer (JSON trip events, as fast as possible), and the Beam reader (KafkaIO's bounded replay
 * plus parsing, on the DirectRunner, start-up included). Bounded by the number of events.
 */
public final class EventLogBenchmark {

  /**
   * One measured rate.
   *
   * @param what what was measured
   * @param events records
   * @param megabytes value megabytes (10^6 bytes)
   * @param seconds wall-clock seconds
   */
  public record Rate(String what, long events, double megabytes, double seconds) {
    /** One line of the report. */
    public String line() {
      return String.format(
          "%-60s %,8d events %8.1f s %,10.0f events/s %7.2f MB/s",
          what, events, seconds, events / seconds, megabytes / seconds);
    }
  }

  private static final Pattern PRODUCER_PERF =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

  private final LocalStack stack;
  private final Consumer<String> progress;

  public EventLogBenchmark(LocalStack stack, Consumer<String> progress) {
    this.stack = stack;
    this.progress = progress;
  }

  /** Runs every measurement with about {@code events} records each and returns the rates. */
  public List<Rate> run(List<TaxiTrip> sample, int passes) throws Exception {
    String bootstrap = stack.settings().kafkaBootstrap();
    List<Rate> rates = new ArrayList<>();

    List<ReplaySchedule.Planned> plan = new ArrayList<>();
    for (int i = 0; i < passes; i++) {
      plan.addAll(ReplaySchedule.plan(sample, Duration.ZERO, 0, Duration.ofHours(1), i));
    }
    long events = plan.size();
    long bytes = 0;
    for (TaxiTrip t : sample) {
      bytes += TaxiTripJson.toJson(t).length;
    }
    int recordSize = (int) (bytes / sample.size());

    progress.accept("kafka ProducerPerformance: " + events + " records of " + recordSize + " B");
    String out =
        stack.runKafkaTool(
            "org.apache.kafka.tools.ProducerPerformance",
            List.of(
                "--topic",
                "bench-perf",
                "--num-records",
                Long.toString(events),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "linger.ms=5"));
    Matcher m = PRODUCER_PERF.matcher(out);
    String last = null;
    String lastMb = null;
    while (m.find()) {
      last = m.group(2);
      lastMb = m.group(3);
    }
    double perfRate = Double.parseDouble(last);
    rates.add(
        new Rate(
            "Kafka ProducerPerformance (" + recordSize + " B records)",
            events,
            Double.parseDouble(lastMb) * 1.048576 * events / perfRate,
            events / perfRate));

    progress.accept("kafka ConsumerPerformance");
    String cout =
        stack.runKafkaTool(
            "org.apache.kafka.tools.ConsumerPerformance",
            List.of(
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "bench-perf",
                "--messages",
                Long.toString(events),
                "--hide-header"));
    String[] cols = cout.strip().lines().reduce((a, b) -> b).orElse("").split(",\\s*");
    // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
    double mib = Double.parseDouble(cols[2]);
    double msgs = Double.parseDouble(cols[4]);
    double msgRate = Double.parseDouble(cols[5]);
    rates.add(
        new Rate(
            "Kafka ConsumerPerformance (same topic)", (long) msgs, mib * 1.048576, msgs / msgRate));

    progress.accept("replay tool: " + events + " JSON trip events, as fast as possible");
    TripPublisher publisher = new TripPublisher(bootstrap, "bench-trips", 2);
    publisher.ensureTopic();
    TripPublisher.Summary s =
        publisher.publish(plan, 0, Duration.ZERO, 0, 1, p -> {}, Duration.ofHours(1));
    rates.add(
        new Rate(
            "tidemark replay (JSON trip events, speedup 0)",
            s.events(),
            s.bytes() / 1e6,
            s.wallNanos() / 1e9));

    progress.accept("Beam reader: KafkaIO bounded replay + ParseTripEvents on DirectRunner");
    DirectOptions options =
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(DirectOptions.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(options);
    p.apply(
            "ReadTripEvents",
            ReadTripEvents.replay(
                bootstrap, "bench-trips", LogPositions.lookUp(bootstrap, "bench-trips", null)))
        .apply("ParseTripEvents", new ParseTripEvents());
    long start = System.nanoTime();
    PipelineResult r = p.run();
    r.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    long parsed = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(ParseTripEvents.class, "tripEventsParsed"))
                    .build())
            .getCounters()) {
      parsed += c.getAttempted();
    }
    rates.add(
        new Rate(
            "Beam KafkaIO replay + parse (DirectRunner, incl. start-up)",
            parsed,
            s.bytes() / 1e6 * parsed / Math.max(1, s.events()),
            seconds));
    return rates;
  }

  /** Prints the rates as a table. */
  public static void print(PrintWriter out, List<Rate> rates) {
    for (Rate r : rates) {
      out.println(r.line());
    }
    out.flush();
  }
}
