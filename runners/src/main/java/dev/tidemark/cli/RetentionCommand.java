package dev.tidemark.cli;

import dev.tidemark.pipelines.Retention;
import dev.tidemark.transforms.retention.CustomerEventJson;
import dev.tidemark.transforms.retention.MalformedEventException;
import dev.tidemark.transforms.retention.RetentionAction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark retention}: runs the {@link Retention} pipeline on a session log and prints one
 * JSON object per retention action on standard output, ordered by drop time then customer, and
 * nothing else; progress and the dead-letter count go to standard error.
 */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = {
      "Retention actions from a session log (one JSON event per line): one action",
      "per cart dropped while logged in, with no checkout within --within.",
      "Prints one JSON object per action on stdout, by dropped_at then customer:",
      "  {\"customer\": \"c42\", \"dropped_at\": \"2026-01-01T12:07:00Z\", \"cart_value\": 37.5}",
      "and nothing else; progress and the dead-letter count go to stderr."
    })
final class RetentionCommand implements Callable<Integer> {

  /**
   * Runners this command supports: each runs the stateful matcher with event-time timers (Spark's
   * batch runner in its classic RDD mode, where state and timers are held per key in memory).
   */
  static final List<String> RUNNERS = List.of("DirectRunner", "FlinkRunner", "SparkRunner");

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Session events, one JSON object per line.")
  Path input;

  @Option(
      names = "--within",
      defaultValue = "30m",
      description =
          "Checkout window after a drop, e.g. 30m, 90s, 1h30m (default: ${DEFAULT-VALUE}).")
  String within;

  @Option(
      names = "--runner",
      defaultValue = "DirectRunner",
      description = "DirectRunner, FlinkRunner or SparkRunner (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(
      names = "--flinkMaster",
      defaultValue = "[local]",
      description = "Flink master for FlinkRunner: [local] (embedded) or host:port.")
  String flinkMaster;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Keep the pipeline's output files here (default: a temporary directory).")
  Path workDir;

  /**
   * What one run produced.
   *
   * @param actions the action lines, in output order (by dropped_at, then customer)
   * @param deadLetters the dead-letter lines ({@code source<TAB>reason<TAB>line})
   * @param lateEvents the late-event lines (none for a file)
   * @param elapsed how long the run took, e.g. {@code 3.2 s}
   */
  record Outcome(
      List<String> actions, List<String> deadLetters, List<String> lateEvents, String elapsed) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = workDir != null ? workDir : Files.createTempDirectory("tidemark-retention-");
    Outcome outcome;
    try {
      outcome = detect(input, within, runner, flinkMaster, dir);
    } finally {
      if (workDir == null) {
        OutputFiles.deleteRecursively(dir);
      }
    }
    for (String line : outcome.actions()) {
      out.println(line);
    }
    out.flush();
    err.printf(
        "retention: %d actions, %d malformed lines dead-lettered, %d late events (%s, %s)%n",
        outcome.actions().size(),
        outcome.deadLetters().size(),
        outcome.lateEvents().size(),
        runner,
        outcome.elapsed());
    for (Map.Entry<String, Integer> e : reasons(outcome.deadLetters()).entrySet()) {
      err.printf("  dead letter x%d: %s%n", e.getValue(), e.getKey());
    }
    err.flush();
    return 0;
  }

  /**
   * Runs the retention pipeline on {@code input} and returns its outputs, actions sorted. For
   * {@code bin/tidemark demo}: {@code RetentionCommand.detect(log, "30m", runner, "[local]", dir)}.
   */
  static Outcome detect(Path input, String within, String runner, String flinkMaster, Path dir)
      throws IOException {
    if (!RUNNERS.contains(runner)) {
      throw new UserFacingException(
          "unsupported runner '" + runner + "' for retention",
          "use --runner DirectRunner, FlinkRunner or SparkRunner",
          TidemarkCli.USAGE_ERROR,
          null);
    }
    try {
      Retention.parseDuration(within);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(
          e.getMessage(), "pass --within like 30m, 90s or 1h30m", TidemarkCli.USAGE_ERROR, e);
    }
    if (!Files.isRegularFile(input)) {
      throw new UserFacingException(
          "input file " + input + " does not exist", "pass a JSON-lines session log with --input");
    }
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    if (runner.equals("FlinkRunner")) {
      args.add("--flinkMaster=" + flinkMaster);
    }
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    args.add("--input=" + input.toAbsolutePath());
    args.add("--within=" + within);
    args.add("--output=" + dir.resolve("actions").toAbsolutePath());
    args.add("--deadLetterOutput=" + dir.resolve("dead-letters").toAbsolutePath());
    args.add("--lateOutput=" + dir.resolve("late-events").toAbsolutePath());
    Retention.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(Retention.Options.class);
    Progress progress = Progress.start("retention actions from " + input + " on " + runner);
    PipelineResult.State state;
    try {
      state = Retention.run(options).waitUntilFinish();
    } finally {
      progress.stop();
    }
    if (state != PipelineResult.State.DONE) {
      throw new UserFacingException(
          "the retention pipeline ended in state " + state, "run again with --verbose");
    }
    return new Outcome(
        sortActions(OutputFiles.readShards(dir, "actions")),
        OutputFiles.readShards(dir, "dead-letters"),
        OutputFiles.readShards(dir, "late-events"),
        progress.elapsed());
  }

  /** Action lines in output order: by dropped_at, then customer, then cart value. */
  static List<String> sortActions(List<String> lines) {
    List<RetentionAction> actions = new ArrayList<>();
    for (String line : lines) {
      try {
        actions.add(CustomerEventJson.parseAction(line));
      } catch (MalformedEventException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
    actions.sort(RetentionAction.ORDER);
    return actions.stream().map(RetentionAction::toJson).toList();
  }

  private static Map<String, Integer> reasons(List<String> deadLetters) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String line : deadLetters) {
      String[] parts = line.split("\t", 3);
      counts.merge(parts.length > 1 ? parts[1] : line, 1, Integer::sum);
    }
    return counts;
  }
}
