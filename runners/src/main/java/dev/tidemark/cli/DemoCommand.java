package dev.tidemark.cli;

import dev.tidemark.pipelines.TripsPerAreaHour;
import dev.tidemark.pipelines.play.PlayFormats;
import dev.tidemark.pipelines.play.PlayScenario;
import dev.tidemark.pipelines.play.Scenario;
import dev.tidemark.pipelines.play.ScenarioParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark demo}: the main job. Runs the course's examples end to end on the local runner
 * and prints their results readably.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job: runs Tidemark's examples end to end and prints their results.",
      "Leaves nothing running; its files go under --work-dir."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--work-dir",
      defaultValue = "target/demo",
      description = "Where the demo writes its outputs (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--runner",
      defaultValue = "DirectRunner",
      description = "Beam runner for the batch parts: DirectRunner, FlinkRunner or SparkRunner.")
  String runner;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(workDir);
    runTripsPerAreaHour(out);
    runPlayScenario(out);
    out.flush();
    return 0;
  }

  private void runTripsPerAreaHour(PrintWriter out) throws IOException {
    Path dir = workDir.resolve("trips-per-area-hour");
    deleteRecursively(dir);
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    args.add("--output=" + dir.resolve("totals"));
    args.add("--deadLetterOutput=" + dir.resolve("dead-letters"));
    TripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(TripsPerAreaHour.Options.class);
    Progress progress = Progress.start("trips per pickup area per event-time hour on " + runner);
    PipelineResult.State state;
    try {
      state = TripsPerAreaHour.run(options).waitUntilFinish();
    } finally {
      progress.stop();
    }
    if (state != PipelineResult.State.DONE) {
      throw new UserFacingException(
          "the taxi pipeline ended in state " + state, "run again with --verbose");
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : readShards(dir, "totals")) {
      if (!line.startsWith("pickup_area,")) {
        rows.add(line.split(","));
      }
    }
    long trips = rows.stream().mapToLong(r -> Long.parseLong(r[2])).sum();
    int deadLetters = readShards(dir, "dead-letters").size();
    out.println();
    out.println("== Chicago taxi trips per pickup area per event-time hour (" + runner + ") ==");
    out.printf(
        "%d trips in %d (area, hour) windows; %d rows dead-lettered; %s%n",
        trips, rows.size(), deadLetters, progress.elapsed());
    out.println("busiest (area, hour) windows:");
    out.printf("  %-6s %-22s %6s %10s%n", "area", "hour (event time, UTC)", "trips", "fares $");
    rows.stream()
        .sorted(
            Comparator.<String[]>comparingLong(r -> -Long.parseLong(r[2]))
                .thenComparing(r -> r[1])
                .thenComparing(r -> r[0]))
        .limit(5)
        .forEach(r -> out.printf("  %-6s %-22s %6s %10s%n", r[0], r[1], r[2], r[3]));
    out.println("  (all rows: " + dir.resolve("totals-00000-of-00001.csv") + ")");
  }

  /** One of {@code tidemark play}'s examples as a pane table: early, on-time and late panes. */
  private static void runPlayScenario(PrintWriter out) {
    Path file = Path.of("testing", "scenarios", "watermark-heuristic.yaml");
    out.println();
    out.println("== The Dataflow model by playing: bin/tidemark play " + file + " ==");
    if (!Files.exists(file)) {
      out.println("  (skipped: " + file + " not found; run bin/tidemark from the repository root)");
      return;
    }
    Scenario scenario = ScenarioParser.parse(file);
    PlayFormats.table(scenario, PlayScenario.run(scenario, PlayCommand.options()))
        .forEach(out::println);
  }

  private static List<String> readShards(Path dir, String prefix) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
