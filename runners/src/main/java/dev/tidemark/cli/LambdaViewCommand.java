package dev.tidemark.cli;

import dev.tidemark.runners.kappa.OutputView;
import dev.tidemark.runners.lambda.ServingView;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark lambda-view}: the serving layer of the Lambda architecture, merging the batch
 * view (CSV files from {@code batch-trips-per-area-hour}) with the speed view (the output topic of
 * {@code kafka-trips-per-area-hour}, or CSV files): batch wins before {@code --batch-until}.
 */
@Command(
    name = "lambda-view",
    mixinStandardHelpOptions = true,
    description = {
      "Serving layer: merge the batch and speed views (batch wins for closed periods).",
      "The batch view wins for hours before --batch-until, the speed view fills the rest, e.g.",
      "  bin/tidemark lambda-view --batch target/lambda/batch --speed trips-per-area-hour-v1 \\",
      "      --batch-until 2016-12-01T00:00:00Z --output target/lambda/serving.csv"
    })
final class LambdaViewCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--batch", required = true, description = "Batch view: CSV file or directory.")
  Path batch;

  @Option(
      names = "--speed",
      required = true,
      description = "Speed view: output topic of kafka-trips-per-area-hour, or a CSV path.")
  String speed;

  @Option(
      names = "--batch-until",
      required = true,
      description = "End of the closed periods (ISO-8601 instant), e.g. 2016-12-01T00:00:00Z.")
  String batchUntil;

  @Option(
      names = "--output",
      description = "Write the merged view here (CSV); default: standard output.")
  Path output;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (default: $TIDEMARK_KAFKA_BOOTSTRAP, else 127.0.0.1:9092).")
  String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    Instant until;
    try {
      until = Instant.parse(batchUntil);
    } catch (DateTimeParseException e) {
      throw new UserFacingException(
          "--batch-until is not an ISO-8601 instant: '" + batchUntil + "'",
          "write it like 2016-12-01T00:00:00Z",
          TidemarkCli.USAGE_ERROR,
          e);
    }
    if (!Files.exists(batch)) {
      throw new UserFacingException(
          "no batch view at " + batch, "run: bin/tidemark run batch-trips-per-area-hour first");
    }
    Map<String, String> batchView = OutputView.fromFiles(batch);
    Map<String, String> speedView;
    if (Files.exists(Path.of(speed))) {
      speedView = OutputView.fromFiles(Path.of(speed));
    } else {
      String bootstrap = bootstrapServers;
      if (bootstrap == null) {
        String env = System.getenv("TIDEMARK_KAFKA_BOOTSTRAP");
        bootstrap = env == null || env.isBlank() ? "127.0.0.1:9092" : env.strip();
      }
      speedView = OutputView.fromTopic(bootstrap, speed);
    }
    ServingView.Merged m = ServingView.reconcile(batchView, speedView, until);
    List<String> lines = new ArrayList<>();
    lines.add(AreaHourTotal.CSV_HEADER);
    lines.addAll(m.view().values());
    if (output != null) {
      if (output.getParent() != null) {
        Files.createDirectories(output.getParent());
      }
      Files.write(output, lines, StandardCharsets.UTF_8);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == null) {
      lines.forEach(out::println);
    } else {
      out.printf("serving view        %s: %,d keys%n", output, m.view().size());
    }
    out.printf("from batch          %,d (hours before %s)%n", m.fromBatch(), until);
    out.printf("from speed          %,d%n", m.fromSpeed());
    out.printf(
        "speed overridden    %,d (closed hours where the batch view differs)%n",
        m.speedOverridden());
    out.flush();
    return 0;
  }
}
