package dev.tidemark.cli;

import dev.tidemark.pipelines.play.PlayDiagram;
import dev.tidemark.pipelines.play.PlayFormats;
import dev.tidemark.pipelines.play.PlayRecord;
import dev.tidemark.pipelines.play.PlayScenario;
import dev.tidemark.pipelines.play.Scenario;
import dev.tidemark.pipelines.play.ScenarioException;
import dev.tidemark.pipelines.play.ScenarioParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark play FILE...}: runs declarative streaming scenarios on DirectRunner with
 * TestStream and shows what fired — a pane table, JSON lines, and optionally the Streaming-Systems
 * picture as SVG. Every file is parsed and its pipeline built before any runs, so a bad scenario
 * stops everything with one line and exit code 2.
 */
@Command(
    name = "play",
    mixinStandardHelpOptions = true,
    description = {
      "Runs streaming scenarios (YAML or JSON) through a window, a trigger and an accumulation"
          + " mode on DirectRunner, and shows every pane, retraction and dropped element.",
      "",
      "Scenario format (examples with expected output: testing/scenarios/):",
      "  name: team-scores             # optional",
      "  start: \"12:00:00\"             # clock origin: bare HH:MM[:SS[.mmm]] are",
      "                                # on its day (UTC, default 2026-01-01);",
      "                                # processing time starts here",
      "  stream:                       # in processing-time order",
      "    - watermark: \"12:00:00\"     # or: end",
      "    - at: \"12:04:59\"            # advance processing time to this instant",
      "    - event: {key: TeamX, value: 5, time: \"12:00:26\", tag: checkout}",
      "    - events: [{key: TeamX, value: 7, time: \"12:02:24\"}, ...]",
      "  # or bounded input instead: events: [{key: ..., value: ..., time: ...}]",
      "  pipeline:",
      "    window: global | {fixed: 2m} | {sliding: 10m, every: 5m} | {session: 1m}",
      "    trigger: T (default: Beam's default trigger), T one of",
      "      {watermark: {early: T, late: T}}   {after-count: N}",
      "      {after-processing: 1m}   {after-processing: 2m, aligned-to: \"12:05\"}",
      "      {on-tag: checkout}   {repeat: T}   {repeat: T, until: T}",
      "      {first: [T, ...]}   {all: [T, ...]}   {sequence: [T, ...]}",
      "    accumulation: discarding | accumulating | retracting",
      "    allowed-lateness: 0 | 2m | 1000d        # units: ms, s, m, h, d",
      "    on-time-behavior: fire-always | fire-if-non-empty",
      "    closing-behavior: fire-always | fire-if-non-empty",
      "    combine: sum | count | min | max | mean | latest",
      ""
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:all scenarios ran", "1:a run failed", "2:a scenario is malformed"})
final class PlayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (YAML or JSON).")
  List<Path> files;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table (default, grouped by key and window) or jsonl (one object per line).")
  String format;

  @Option(
      names = "--svg",
      paramLabel = "FILE",
      description =
          "Also draw the event-time × processing-time picture as SVG (with several scenarios:"
              + " FILE-<name>.svg each).")
  Path svg;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("table") && !format.equals("jsonl")) {
      throw new UserFacingException(
          "unknown --format '" + format + "'",
          "use --format table or --format jsonl",
          TidemarkCli.USAGE_ERROR,
          null);
    }
    // Parse everything first: nothing runs half-way.
    List<Scenario> scenarios = new ArrayList<>();
    try {
      for (Path f : files) {
        scenarios.add(ScenarioParser.parse(f));
      }
    } catch (ScenarioException e) {
      throw new UserFacingException(e.getMessage(), null, TidemarkCli.USAGE_ERROR, e);
    }
    List<List<PlayRecord>> results = new ArrayList<>();
    for (Scenario s : scenarios) {
      try {
        results.add(PlayScenario.run(s, options()));
      } catch (ScenarioException e) {
        throw new UserFacingException(e.getMessage(), null, TidemarkCli.USAGE_ERROR, e);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      List<PlayRecord> records = results.get(i);
      if (format.equals("jsonl")) {
        PlayFormats.jsonl(records, PlayFormats.day(s)).forEach(out::println);
      } else {
        if (i > 0) {
          out.println();
        }
        PlayFormats.table(s, records).forEach(out::println);
      }
      if (svg != null) {
        Path target = scenarios.size() == 1 ? svg : svgFor(svg, s.name());
        Files.writeString(target, PlayDiagram.svg(s, records), StandardCharsets.UTF_8);
        spec.commandLine().getErr().println("play: wrote " + target);
      }
    }
    out.flush();
    return 0;
  }

  /** DirectRunner, tuned for small scripted runs: one thread, no per-element checks. */
  static DirectOptions options() {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setBlockOnRun(true);
    o.setTargetParallelism(1);
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return o;
  }

  private static Path svgFor(Path svg, String name) {
    String base = svg.getFileName().toString();
    String stem = base.endsWith(".svg") ? base.substring(0, base.length() - 4) : base;
    return svg.resolveSibling(stem + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".svg");
  }
}
