package dev.tidemark.cli;

import dev.tidemark.pipelines.PipelineCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidemark run}: lists the registered pipelines, or runs one with its pipeline options. */
@Command(
    name = "run",
    description = {
      "Run a registered pipeline with Beam pipeline options, e.g.",
      "  bin/tidemark run trips-per-area-hour --runner=FlinkRunner --flinkMaster=[local]",
      "Without a pipeline name, list the registered pipelines.",
      "Runners: --runner=DirectRunner (default) | FlinkRunner [--flinkMaster=[local]|host:port]"
          + " | SparkRunner [--sparkMaster=local[2]]"
    },
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE", description = "Pipeline name.")
  String pipeline;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "--option=value",
      description = "Beam pipeline options, passed through (use --help after the name for them).")
  List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (pipeline == null) {
      out.println("Registered pipelines (bin/tidemark run <name> --help for their options):");
      for (PipelineCatalog.Entry e : PipelineCatalog.entries()) {
        out.printf("  %-24s %s%n", e.name(), e.summary());
      }
      out.flush();
      return 0;
    }
    PipelineCatalog.Entry entry =
        PipelineCatalog.find(pipeline)
            .orElseThrow(
                () ->
                    new UserFacingException(
                        "unknown pipeline '" + pipeline + "'",
                        "choose one of: "
                            + String.join(
                                ", ",
                                PipelineCatalog.entries().stream()
                                    .map(PipelineCatalog.Entry::name)
                                    .toList())
                            + " (bin/tidemark run lists them)",
                        TidemarkCli.USAGE_ERROR,
                        null));
    if (pipelineArgs.contains("--help") || pipelineArgs.contains("-h")) {
      PipelineOptionsFactory.printHelp(
          new java.io.PrintStream(System.out, true), entry.optionsType());
      return 0;
    }
    String[] args = pipelineArgs.toArray(String[]::new);
    validate(entry, args);
    Progress progress = Progress.start("running pipeline " + entry.name());
    try {
      entry.entryPoint().accept(args);
    } finally {
      progress.stop();
    }
    out.println("pipeline " + entry.name() + " finished in " + progress.elapsed());
    out.flush();
    return 0;
  }

  /** Parses the options up front so that a bad option is a one-line usage error, not a trace. */
  static void validate(PipelineCatalog.Entry entry, String[] args) {
    try {
      PipelineOptionsFactory.fromArgs(args).withValidation().as(entry.optionsType());
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      int nl = msg.indexOf('\n');
      throw new UserFacingException(
          "bad option for pipeline " + entry.name() + ": " + (nl < 0 ? msg : msg.substring(0, nl)),
          "see 'bin/tidemark run " + entry.name() + " --help' for its options",
          TidemarkCli.USAGE_ERROR,
          e);
    }
  }
}
