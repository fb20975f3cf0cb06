package dev.tidemark.cli;

import dev.tidemark.core.time.Durations;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.runners.replay.ReplaySchedule;
import dev.tidemark.runners.replay.TripPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark replay}: publishes the taxi sample to a Kafka topic as JSON trip events, in
 * event-time order at a chosen speed, with bounded disorder and a fraction of late events.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Publish taxi trips to Kafka as JSON events, paced in event-time order.",
      "At a chosen speed, with bounded disorder and a fraction of late events, e.g.",
      "  bin/tidemark replay data/chicago-taxi/trips.csv --topic trips --speedup 600 --disorder 2m"
          + " --late 1%",
      "Progress goes to standard error, the summary to standard output."
    })
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TRIPS_CSV",
      description = "Trips CSV file (default: ${DEFAULT-VALUE}).")
  Path input = Path.of("data/chicago-taxi/trips.csv");

  @Option(
      names = "--topic",
      description = "Topic to publish to (created if missing; default: ${DEFAULT-VALUE}).")
  String topic = "trips";

  @Option(
      names = "--partitions",
      description = "Partitions of the topic when it is created (default: ${DEFAULT-VALUE}).")
  int partitions = 2;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (default: $TIDEMARK_KAFKA_BOOTSTRAP, else 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(
      names = "--speedup",
      description =
          "Event time per wall-clock time, e.g. 600 = ten minutes of trips per second;"
              + " 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double speedup = 600;

  @Option(
      names = "--max-pause",
      description =
          "Longest wall-clock wait between two events: quiet periods of the sample (it has a few"
              + " trips a day) are compressed (default: ${DEFAULT-VALUE}).")
  String maxPause = "50ms";

  @Option(
      names = "--disorder",
      description =
          "Bounded disorder: each event is delayed by up to this much event time"
              + " (e.g. 2m, 30s; default: ${DEFAULT-VALUE}).")
  String disorder = "2m";

  @Option(
      names = "--late",
      description =
          "Fraction of late events, delayed beyond the disorder bound (e.g. 1%; default:"
              + " ${DEFAULT-VALUE}).")
  String late = "0%";

  @Option(
      names = "--late-by",
      description =
          "Late events are delayed by the disorder plus up to this much (default:"
              + " ${DEFAULT-VALUE}).")
  String lateBy = "1h";

  @Option(
      names = "--malformed",
      description =
          "Fraction of events replaced by malformed records, for the dead-letter topic"
              + " (default: ${DEFAULT-VALUE}).")
  String malformed = "0%";

  @Option(
      names = "--limit",
      description = "Publish only the first N trips in event-time order (default: all).")
  int limit = Integer.MAX_VALUE;

  @Option(names = "--seed", description = "Random seed of the plan (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Override
  public Integer call() throws Exception {
    Duration disorderBound = duration("--disorder", disorder);
    double lateFraction = fraction("--late", late);
    double malformedFraction = fraction("--malformed", malformed);
    if (speedup < 0) {
      throw usage("--speedup must be 0 (as fast as possible) or positive, not " + speedup);
    }
    List<TaxiTrip> trips = readTrips(input);
    trips.sort(java.util.Comparator.comparingLong(TaxiTrip::tripStartTimestamp));
    if (trips.size() > limit) {
      trips = new ArrayList<>(trips.subList(0, Math.max(0, limit)));
    }
    List<ReplaySchedule.Planned> plan =
        ReplaySchedule.plan(
            trips, disorderBound, lateFraction, duration("--late-by", lateBy), seed);

    String bootstrap = bootstrapServers != null ? bootstrapServers : defaultBootstrap();
    TripPublisher publisher = new TripPublisher(bootstrap, topic, partitions);
    try {
      publisher.ensureTopic();
    } catch (ExecutionException e) {
      throw new UserFacingException(
          "cannot reach Kafka at " + bootstrap + " to create topic " + topic,
          "start the local stack (bin/tidemark stack up) or set --bootstrap-servers",
          TidemarkCli.FAILURE,
          e);
    }
    System.err.printf(
        "» replaying %,d trips from %s to %s on %s (speedup %s, disorder %s, late %s)%n",
        plan.size(), input, topic, bootstrap, speedup == 0 ? "max" : speedup, disorder, late);
    TripPublisher.Summary s =
        publisher.publish(
            plan,
            speedup,
            duration("--max-pause", maxPause),
            malformedFraction,
            seed,
            pr ->
                System.err.printf(
                    "  ... sent %,d/%,d events, event time %s%n",
                    pr.sent(), pr.total(), Instant.ofEpochMilli(pr.eventTimeMillis())),
            Duration.ofSeconds(2));

    PrintWriter out = spec.commandLine().getOut();
    out.printf("topic                 %s (%s)%n", topic, bootstrap);
    out.printf("events sent           %,d (%,d malformed)%n", s.events(), s.malformed());
    out.printf(
        "event time            %s .. %s%n",
        plan.isEmpty() ? "-" : Instant.ofEpochSecond(trips.get(0).tripStartTimestamp()),
        plan.isEmpty()
            ? "-"
            : Instant.ofEpochSecond(trips.get(trips.size() - 1).tripStartTimestamp()));
    out.printf("out of order          %,d%n", ReplaySchedule.countOutOfOrder(plan));
    out.printf(
        "late (beyond %s)     %,d (%,d chosen late)%n",
        disorder,
        ReplaySchedule.countBeyondDisorder(plan, disorderBound),
        plan.stream().filter(ReplaySchedule.Planned::delayedLate).count());
    out.printf(
        "wall time             %.1f s: %,.0f events/s, %.2f MB/s%n",
        s.wallNanos() / 1e9, s.eventsPerSecond(), s.megabytesPerSecond());
    out.flush();
    return 0;
  }

  private static String defaultBootstrap() {
    String env = System.getenv("TIDEMARK_KAFKA_BOOTSTRAP");
    return env == null || env.isBlank() ? "127.0.0.1:9092" : env.strip();
  }

  private static List<TaxiTrip> readTrips(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserFacingException(
          "no such file: " + file, "give the trips CSV, e.g. data/chicago-taxi/trips.csv");
    }
    List<TaxiTrip> trips = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      if (line.isBlank() || TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        trips.add(TaxiTripCsv.parse(line));
      } catch (MalformedTripException e) {
        skipped++;
      }
    }
    if (skipped > 0) {
      System.err.printf("  skipped %,d malformed CSV lines of %s%n", skipped, file);
    }
    return trips;
  }

  /**
   * Reads a duration flag in the one duration grammar ({@link Durations}: {@code 2m}, {@code 30s},
   * {@code 1h}, {@code 500ms}, {@code 1d}, {@code 1h30m}, {@code PT30M}); a bare number is seconds,
   * as this command always took it.
   */
  static Duration duration(String option, String text) {
    try {
      return Durations.parse(text, ChronoUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      throw usage(option + " must be a duration like 2m, 30s, 1h or 500ms, not '" + text + "'");
    }
  }

  /** Parses {@code 1%} or {@code 0.01}. */
  static double fraction(String option, String text) {
    String t = text.strip();
    try {
      double v =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
              : Double.parseDouble(t);
      if (v < 0 || v > 1 || Double.isNaN(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw usage(option + " must be a fraction like 1% or 0.01, not '" + text + "'");
    }
  }

  private static UserFacingException usage(String message) {
    return new UserFacingException(
        message, "see 'bin/tidemark replay --help'", TidemarkCli.USAGE_ERROR, null);
  }
}
