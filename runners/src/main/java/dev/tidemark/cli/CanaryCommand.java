package dev.tidemark.cli;

import dev.tidemark.runners.kappa.Canary;
import dev.tidemark.runners.kappa.OutputView;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark canary}: compares the outputs of two versions of a pipeline keyed by (key,
 * window) and reports matches, differences and keys present in only one of them.
 */
@Command(
    name = "canary",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two versions' outputs keyed by (key, window).",
      "Reports matches, differences and keys present in only one output.",
      "Each output is a Kafka topic (read to its end, latest record per key) or, if the path",
      "exists, a CSV file or directory of per-area totals, e.g.",
      "  bin/tidemark canary trips-per-area-hour-v1 trips-per-area-hour-v2",
      "Exit code 0 when identical, " + CanaryCommand.DIFFERENT + " when they differ."
    })
final class CanaryCommand implements Callable<Integer> {

  /** Exit code when the outputs differ. */
  static final int DIFFERENT = 4;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BASELINE", description = "Output of version N.")
  String baseline;

  @Parameters(index = "1", paramLabel = "CANDIDATE", description = "Output of version N+1.")
  String candidate;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (default: $TIDEMARK_KAFKA_BOOTSTRAP, else 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(
      names = "--show",
      description = "How many differing keys to list per category (default: ${DEFAULT-VALUE}).")
  int show = 10;

  @Override
  public Integer call() throws Exception {
    Map<String, String> a = view(baseline);
    Map<String, String> b = view(candidate);
    Canary.Report r = Canary.compare(a, b);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("baseline   %s: %,d keys%n", baseline, a.size());
    out.printf("candidate  %s: %,d keys%n", candidate, b.size());
    out.printf("matches            %,d%n", r.matches());
    out.printf("different          %,d%n", r.different().size());
    out.printf("only in baseline   %,d%n", r.onlyInBaseline().size());
    out.printf("only in candidate  %,d%n", r.onlyInCandidate().size());
    list(out, "different", r.different());
    list(out, "only in baseline", r.onlyInBaseline());
    list(out, "only in candidate", r.onlyInCandidate());
    out.println(r.identical() ? "verdict: identical" : "verdict: outputs differ");
    out.flush();
    return r.identical() ? 0 : DIFFERENT;
  }

  private void list(PrintWriter out, String what, List<Canary.Difference> diffs) {
    if (diffs.isEmpty() || show <= 0) {
      return;
    }
    out.println(what + " (first " + Math.min(show, diffs.size()) + "):");
    for (Canary.Difference d : diffs.subList(0, Math.min(show, diffs.size()))) {
      out.printf(
          "  %-28s %s  ->  %s%n",
          d.key(),
          d.baseline() == null ? "-" : d.baseline(),
          d.candidate() == null ? "-" : d.candidate());
    }
  }

  private Map<String, String> view(String output) throws Exception {
    Path p = Path.of(output);
    if (Files.exists(p)) {
      return OutputView.fromFiles(p);
    }
    String bootstrap = bootstrapServers;
    if (bootstrap == null) {
      String env = System.getenv("TIDEMARK_KAFKA_BOOTSTRAP");
      bootstrap = env == null || env.isBlank() ? "127.0.0.1:9092" : env.strip();
    }
    try {
      return OutputView.fromTopic(bootstrap, output);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(
          "'" + output + "' is neither an existing path nor a topic on " + bootstrap,
          "give a CSV file/directory or an output topic (bin/tidemark stack status shows Kafka)",
          TidemarkCli.FAILURE,
          e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new UserFacingException(
          "cannot read topic '" + output + "' from Kafka at " + bootstrap,
          "start the local stack (bin/tidemark stack up) or set --bootstrap-servers",
          TidemarkCli.FAILURE,
          e);
    }
  }
}
