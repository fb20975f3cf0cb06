package dev.tidemark.cli;

import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.runners.bench.EventLogBenchmark;
import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.runners.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark benchmark-event-log}: starts a throw-away local stack on free ports, measures
 * produce and consume rates (Kafka's own perf tools, the replay tool, the Beam reader), prints them
 * and stops the stack.
 */
@Command(
    name = "benchmark-event-log",
    mixinStandardHelpOptions = true,
    description = {
      "Measure produce/consume rates: Kafka's perf tools, the replay tool, the Beam reader.",
      "Single broker on this machine, one session, on a throw-away stack:",
      "Kafka's ProducerPerformance and ConsumerPerformance (the limit), the replay tool, and the",
      "Beam reader. Bounded: --passes times the 12,002-trip sample (default ${DEFAULT-VALUE})."
    })
final class BenchmarkCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--passes",
      description = "Copies of the sample to send (default: ${DEFAULT-VALUE}).")
  int passes = 5;

  @Option(names = "--input", description = "Trips CSV (default: ${DEFAULT-VALUE}).")
  Path input = Path.of("data/chicago-taxi/trips.csv");

  @Override
  public Integer call() throws Exception {
    List<TaxiTrip> sample = new ArrayList<>();
    for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !TaxiTripCsv.isHeader(line)) {
        try {
          sample.add(TaxiTripCsv.parse(line));
        } catch (MalformedTripException e) {
          // The benchmark sends well-formed trips only.
        }
      }
    }
    Path dir = Files.createTempDirectory("tidemark-bench-stack");
    Progress progress = Progress.start("benchmarking the event log (" + passes + " passes)");
    try (LocalStack stack = LocalStack.create(StackSettings.ephemeral(dir))) {
      stack.up();
      List<EventLogBenchmark.Rate> rates =
          new EventLogBenchmark(stack, s -> System.err.println("  » " + s)).run(sample, passes);
      progress.stop();
      EventLogBenchmark.print(spec.commandLine().getOut(), rates);
    } finally {
      progress.stop();
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }
}
