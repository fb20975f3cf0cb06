package dev.tidemark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.pipelines.TrainTaxiTips;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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
 * {@code tidemark train}: runs the taxi-tips training pipeline ({@link TrainTaxiTips}) and prints a
 * summary of the published model version: rows, rejects per rule, metrics and where it went.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the taxi-tips model (XGBoost, label tips > 0.2 * fare) and publish it as a new",
      "version under <output>/taxi-tips/<version>/ (model.json, feature_spec.json, metrics.json,",
      "model_card.json, then _COMPLETE). Progress on stderr, summary on stdout.",
      "S3: endpoint from --s3-endpoint or AWS_ENDPOINT_URL / S3_ENDPOINT (default"
          + " http://127.0.0.1:9000), credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."
    })
final class TrainCommand implements Callable<Integer> {

  /** Runners the training pipeline is tested on. */
  static final List<String> RUNNERS = List.of("DirectRunner", "FlinkRunner", "SparkRunner");

  private static final String DEFAULT_OUTPUT = "s3://models";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      defaultValue = "data/chicago-taxi/trips.csv",
      description = "Taxi trips CSV: a file or s3://bucket/key (default: ${DEFAULT-VALUE}).")
  String input;

  @Option(
      names = "--output",
      defaultValue = DEFAULT_OUTPUT,
      description = "Model store: s3://bucket[/prefix] or a directory (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--runner",
      defaultValue = "DirectRunner",
      description =
          "DirectRunner, FlinkRunner (embedded) or SparkRunner (local[2]) (default:"
              + " ${DEFAULT-VALUE}).")
  String runner;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "XGBoost seed; same seed and input give the same model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--rounds",
      defaultValue = "100",
      description = "Boosting rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--max-depth",
      defaultValue = "4",
      description = "Largest tree depth (default: ${DEFAULT-VALUE}).")
  int maxDepth;

  @Option(
      names = "--model-version",
      description = "Version name (default: the UTC start time, e.g. 20261127T090000Z).")
  String version;

  @Option(
      names = "--deploy-to",
      description =
          "After publishing, deploy the new version to the model server at this URL (e.g."
              + " http://127.0.0.1:8080) and wait until it serves: the pipeline's deploy step.")
  String deployTo;

  @Option(
      names = "--s3-endpoint",
      description = "S3 endpoint, overriding AWS_ENDPOINT_URL / S3_ENDPOINT.")
  String s3Endpoint;

  @Override
  public Integer call() throws IOException {
    if (!RUNNERS.contains(runner)) {
      throw new UserFacingException(
          "unknown runner '" + runner + "' for training",
          "pass --runner DirectRunner, FlinkRunner or SparkRunner",
          TidemarkCli.USAGE_ERROR,
          null);
    }
    S3Settings s3 = S3Settings.fromEnv().withEndpointIfSet(s3Endpoint);
    checkInput(s3);
    checkOutput(s3);
    checkDeployTarget();
    String modelVersion =
        version != null ? version : TrainTaxiTips.VERSION_FORMAT.format(Instant.now());

    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    args.add("--input=" + input);
    args.add("--output=" + output);
    args.add("--modelVersion=" + modelVersion);
    args.add("--seed=" + seed);
    args.add("--rounds=" + rounds);
    args.add("--maxDepth=" + maxDepth);
    args.add("--s3Endpoint=" + s3.endpoint());
    args.add("--rejectsOutput=target/train-taxi-tips/" + modelVersion + "/rejects");
    if (runner.equals("DirectRunner")) {
      // The immutability check re-decodes every input element of a bundle after each element
      // (quadratic in the bundle size): a test aid, left on in the tests, off for real runs.
      args.add("--enforceImmutability=false");
    }
    TrainTaxiTips.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(TrainTaxiTips.Options.class);

    Progress progress = Progress.start("training taxi-tips " + modelVersion + " on " + runner);
    PipelineResult.State state;
    try {
      state = TrainTaxiTips.run(options).waitUntilFinish();
    } finally {
      progress.stop();
    }
    if (state != PipelineResult.State.DONE) {
      throw new UserFacingException(
          "the training pipeline ended in state " + state, "run again with --verbose");
    }
    Map<String, byte[]> files;
    String uri;
    try (ModelStore store = ModelStore.open(output, s3)) {
      files = store.read(ModelFiles.TAXI_TIPS, modelVersion);
      uri = store.uri(ModelFiles.TAXI_TIPS, modelVersion);
    }
    printSummary(
        spec.commandLine().getOut(), modelVersion, uri, files, progress.elapsed(), options);
    if (deployTo != null) {
      DeployCommand.deploy(
          dev.tidemark.serving.deploy.ModelUri.parse(uri),
          deployTo,
          Duration.ofSeconds(60),
          spec.commandLine().getOut());
    }
    return 0;
  }

  private void checkInput(S3Settings s3) {
    if (input.startsWith("s3://")) {
      if (!s3.reachable(PROBE_TIMEOUT)) {
        throw new UserFacingException(
            "the object store at "
                + s3.endpoint()
                + " is not reachable, so "
                + input
                + " cannot be read",
            "start the local stack (bin/tidemark stack up) or pass --input with a local CSV file");
      }
    } else if (!Files.isRegularFile(Paths.get(input.replaceFirst("^file://", "")))) {
      throw new UserFacingException(
          "the input " + input + " is not a file",
          "pass --input with the taxi CSV, e.g. --input data/chicago-taxi/trips.csv");
    }
  }

  private void checkDeployTarget() {
    if (deployTo == null) {
      return;
    }
    try {
      java.net.http.HttpResponse<Void> live =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(deployTo.replaceAll("/+$", "") + "/v2/health/live"))
                      .timeout(PROBE_TIMEOUT)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
      if (live.statusCode() == 200) {
        return;
      }
    } catch (IOException | IllegalArgumentException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new UserFacingException(
        "no model server answers at " + deployTo + ", so the model could not be deployed",
        "start one first (bin/tidemark serve --repository "
            + output
            + ") or leave out --deploy-to");
  }

  private void checkOutput(S3Settings s3) {
    if (output.startsWith("s3://") && !s3.reachable(PROBE_TIMEOUT)) {
      throw new UserFacingException(
          "the object store at "
              + s3.endpoint()
              + " is not reachable, so the model cannot be published to "
              + output,
          DEFAULT_OUTPUT.equals(output)
              ? "start the local stack (bin/tidemark stack up), or pass --output target/models to"
                  + " publish to a local directory"
              : "check the endpoint (--s3-endpoint or AWS_ENDPOINT_URL), or pass --output"
                  + " target/models to publish to a local directory");
    }
  }

  private static void printSummary(
      PrintWriter out,
      String version,
      String uri,
      Map<String, byte[]> files,
      String elapsed,
      TrainTaxiTips.Options options)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode card = json.readTree(files.get(ModelFiles.MODEL_CARD));
    JsonNode metrics = json.readTree(files.get(ModelFiles.METRICS));
    JsonNode data = card.get("data");
    JsonNode eval = metrics.get("classifier").get("eval");
    JsonNode regression = metrics.get("regression").get("eval");
    out.printf(
        "taxi-tips model %s trained on %s in %s%n",
        version, options.getRunner().getSimpleName(), elapsed);
    row(out, "input", data.get("input").asText());
    row(out, "input sha256", data.get("inputSha256").asText());
    row(out, "rows read", data.get("rowsRead").asText());
    row(
        out,
        "clean rows",
        data.get("cleanRows").asText()
            + " (train "
            + data.get("trainRows").asText()
            + ", eval "
            + data.get("evalRows").asText()
            + ")");
    row(out, "rejected rows", data.get("rejectedRows").asText());
    for (Iterator<Map.Entry<String, JsonNode>> it = data.get("rejectsPerRule").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> rule = it.next();
      if (rule.getValue().asLong() > 0) {
        row(out, "  " + rule.getKey(), rule.getValue().asText());
      }
    }
    row(out, "eval ROC AUC", String.format("%.4f", eval.get("rocAuc").asDouble()));
    row(
        out,
        "eval accuracy",
        String.format("%.4f (threshold 0.5)", eval.get("accuracy").asDouble()));
    row(out, "eval log loss", String.format("%.4f", eval.get("logLoss").asDouble()));
    row(
        out,
        "tip RMSE (regression)",
        String.format(
            "$%.3f vs $%.3f predicting the mean",
            regression.get("rmse").asDouble(), regression.get("baselineRmse").asDouble()));
    out.println("calibration (eval): predicted -> observed, rows");
    for (JsonNode bin : eval.get("calibration")) {
      if (bin.get("rows").asLong() > 0) {
        out.printf(
            "  [%.1f, %.1f)  %.3f -> %.3f  %d%n",
            bin.get("lower").asDouble(),
            bin.get("upper").asDouble(),
            bin.get("meanPredicted").asDouble(),
            bin.get("observedRate").asDouble(),
            bin.get("rows").asLong());
      }
    }
    row(out, "model", uri + "/");
    row(out, "files", String.join(", ", files.keySet()) + ", " + ModelStore.MARKER);
    out.flush();
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("  %-24s %s%n", name, value);
  }
}
