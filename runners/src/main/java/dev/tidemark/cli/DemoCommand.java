package dev.tidemark.cli;

import dev.tidemark.pipelines.RetentionDemoData;
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
      "The main job: runs Tidemark's examples end to end and prints their results:",
      "the taxi trips per area and event-time hour, the course's streaming examples as",
      "pane tables, retention CEP, then the event-driven inference graph: a local stack",
      "(Kafka, S3) is started, a champion and a challenger taxi-tips model are trained",
      "and published, the model server is started, the shipped trips are replayed",
      "through Kafka and scored by the streaming inference graph, with live windowed",
      "monitoring, predictions, explanations and the champion/challenger comparison.",
      "Stops everything it started at the end or on Ctrl-C; files go under --work-dir."
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

  @Option(
      names = "--streaming-runner",
      defaultValue = "FlinkRunner",
      description =
          "Beam runner of the streaming inference graph: FlinkRunner (embedded) or DirectRunner"
              + " (default: ${DEFAULT-VALUE}).")
  String streamingRunner;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(workDir);
    long start = System.nanoTime();
    runTripsPerAreaHour(out);
    runPlayScenarios(out);
    runRetention(out);
    try (InferenceDemo inference = new InferenceDemo(workDir, out, streamingRunner())) {
      inference.run();
    }
    out.printf(
        "%n== demo finished in %.1f s; outputs under %s ==%n",
        (System.nanoTime() - start) / 1e9, workDir);
    out.flush();
    return 0;
  }

  /** The deck's complex-event example: logged in + cart dropped, no checkout within 30m. */
  private void runRetention(PrintWriter out) throws IOException {
    Path dir = workDir.resolve("retention");
    OutputFiles.deleteRecursively(dir);
    Path log = RetentionDemoData.write(dir.resolve("sessions.jsonl"));
    String cepRunner = RetentionCommand.RUNNERS.contains(runner) ? runner : "DirectRunner";
    Progress progress =
        Progress.start("retention CEP over a generated session log on " + cepRunner);
    RetentionCommand.Outcome outcome;
    try {
      outcome = RetentionCommand.detect(log, "30m", cepRunner, "[local]", dir.resolve("out"));
    } finally {
      progress.stop();
    }
    out.println();
    out.println(
        "== Retention: cart dropped while logged in, no checkout within 30 minutes (CEP) ==");
    out.printf(
        "%d session events -> %d retention actions; %d malformed lines dead-lettered; %s%n",
        Files.readAllLines(log).size(),
        outcome.actions().size(),
        outcome.deadLetters().size(),
        outcome.elapsed());
    outcome.actions().stream().limit(5).forEach(a -> out.println("  " + a));
    if (outcome.actions().size() > 5) {
      out.println("  ... (" + (outcome.actions().size() - 5) + " more)");
    }
  }

  /** The streaming graph runs on the embedded FlinkRunner (default) or DirectRunner. */
  private String streamingRunner() {
    if (!streamingRunner.equals("FlinkRunner") && !streamingRunner.equals("DirectRunner")) {
      throw new UserFacingException(
          "unknown --streaming-runner '" + streamingRunner + "'",
          "pass --streaming-runner FlinkRunner or --streaming-runner DirectRunner",
          TidemarkCli.USAGE_ERROR,
          null);
    }
    return streamingRunner;
  }

  private void runTripsPerAreaHour(PrintWriter out) throws IOException {
    Path dir = workDir.resolve("trips-per-area-hour");
    OutputFiles.deleteRecursively(dir);
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
    for (String line : OutputFiles.readShards(dir, "totals")) {
      if (!line.startsWith("pickup_area,")) {
        rows.add(line.split(","));
      }
    }
    long trips = rows.stream().mapToLong(r -> Long.parseLong(r[2])).sum();
    int deadLetters = OutputFiles.readShards(dir, "dead-letters").size();
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

  /** The course's streaming examples, played as pane tables (see testing/scenarios/). */
  private static final List<String> COURSE_SCENARIOS =
      List.of(
          "cats-sliding.yaml", // the deck's cats: Tom counted in two sliding windows
          "accumulation-retracting.yaml", // the deck's accumulation table, retracting mode
          "watermark-heuristic.yaml", // early, on-time and late panes under a heuristic watermark
          "data-driven-checkout.yaml"); // the data-driven trigger Beam Java lacks

  /** The course's streaming examples as pane tables: windows, triggers, accumulation, lateness. */
  private static void runPlayScenarios(PrintWriter out) {
    for (String name : COURSE_SCENARIOS) {
      Path file = Path.of("testing", "scenarios", name);
      out.println();
      out.println("== The Dataflow model by playing: bin/tidemark play " + file + " ==");
      if (!Files.exists(file)) {
        out.println(
            "  (skipped: " + file + " not found; run bin/tidemark from the repository root)");
        continue;
      }
      Scenario scenario = ScenarioParser.parse(file);
      PlayFormats.table(scenario, PlayScenario.run(scenario, PlayCommand.options()))
          .forEach(out::println);
      out.flush();
    }
  }
}
