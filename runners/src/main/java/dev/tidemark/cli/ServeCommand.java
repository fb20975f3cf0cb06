package dev.tidemark.cli;

import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.serving.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidemark serve}: the model server (KServe V1 and Open Inference Protocol V2) on a model
 * repository. The server is a separate component from data processing: it runs in its own JVM on
 * the serving module's classpath, which holds no Beam ({@code dev.tidemark.serving.Main}); this
 * command checks the repository, starts it, and stops it gracefully on Ctrl-C or SIGTERM.
 *
 * <pre>
 * bin/tidemark train                 # publishes s3://models/taxi-tips/&lt;version&gt;
 * bin/tidemark serve                 # serves it as taxi-tips on http://127.0.0.1:8080
 * </pre>
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the models of a repository over HTTP: KServe V1 (/v1/models/{name}:predict,"
          + " :explain) and Open Inference Protocol V2 (/v2/models/{name}/infer), /metrics.",
      "New versions in the repository are picked up by polling; bin/tidemark deploy loads one"
          + " explicitly.",
      "S3: endpoint from --s3-endpoint or AWS_ENDPOINT_URL / S3_ENDPOINT, credentials from"
          + " AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints the URL on stdout, logs on stderr."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--repository",
      defaultValue = ServerConfig.DEFAULT_REPOSITORY,
      description =
          "Model repository: s3://bucket[/prefix] or a directory (default: ${DEFAULT-VALUE}).")
  String repository;

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--poll-seconds",
      defaultValue = "" + ServerConfig.DEFAULT_POLL_SECONDS,
      description =
          "Scan the repository for new versions every N s; 0 = never (default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  @Option(
      names = "--max-batch",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_BATCH,
      description = "Dynamic batching: rows per XGBoost call (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-delay-ms",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_DELAY_MS,
      description =
          "Dynamic batching: longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
  long maxDelayMs;

  @Option(
      names = "--timeout-ms",
      defaultValue = "" + ServerConfig.DEFAULT_TIMEOUT_MS,
      description = "Request timeout, answered with 503 (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_BODY_BYTES,
      description = "Largest request body, larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--token-env",
      description = "Require 'Authorization: Bearer <token>', the token read from this variable.")
  String tokenEnv;

  @Option(names = "--s3-endpoint", description = "S3 endpoint, overriding AWS_ENDPOINT_URL.")
  String s3Endpoint;

  @Option(
      names = "--evaluator",
      defaultValue = ServerConfig.DEFAULT_EVALUATOR,
      description =
          "What computes probabilities: compiled (the trees compiled to Java at load, no JNI) or"
              + " xgboost4j (XGBoost's native predictor, batched) (default: ${DEFAULT-VALUE}).")
  String evaluator;

  @Override
  public Integer call() throws IOException, InterruptedException {
    S3Settings s3 = S3Settings.fromEnv().withEndpointIfSet(s3Endpoint);
    if (repository.startsWith("s3://") && !s3.reachable(Duration.ofSeconds(2))) {
      throw new UserFacingException(
          "the object store at "
              + s3.endpoint()
              + " is not reachable, so "
              + repository
              + " cannot be served",
          "start the local stack (bin/tidemark stack up), or train to a directory and serve it:"
              + " bin/tidemark train --output target/models && bin/tidemark serve --repository"
              + " target/models");
    }
    if (!repository.contains("://") && !Files.isDirectory(Paths.get(repository))) {
      throw new UserFacingException(
          "the model repository " + repository + " is not a directory",
          "train first (bin/tidemark train --output " + repository + ") or pass --repository");
    }
    try {
      Evaluator.parse(evaluator);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(e.getMessage(), "pass --evaluator compiled or xgboost4j");
    }
    if (tokenEnv != null && System.getenv(tokenEnv) == null) {
      throw new UserFacingException(
          "--token-env names " + tokenEnv + ", which is not set",
          "export " + tokenEnv + "=<token> or leave out --token-env");
    }
    ModelServerProcess.Launch launch =
        ModelServerProcess.launch(repository)
            .option("--host", host)
            .option("--port", Integer.toString(port))
            .option("--poll-seconds", Long.toString(pollSeconds))
            .option("--max-batch", Integer.toString(maxBatch))
            .option("--max-delay-ms", Long.toString(maxDelayMs))
            .option("--timeout-ms", Long.toString(timeoutMs))
            .option("--max-body-bytes", Long.toString(maxBodyBytes))
            .option("--evaluator", evaluator)
            .javaOptions(System.getenv().getOrDefault("TIDEMARK_SERVING_JAVA_OPTS", "-Xmx1g"))
            .environment(Map.of("AWS_ENDPOINT_URL", s3.endpoint().toString()));
    if (tokenEnv != null) {
      launch.option("--token-env", tokenEnv);
    }
    int code;
    try {
      code = launch.run();
    } catch (IllegalStateException e) {
      throw new UserFacingException(
          e.getMessage(),
          "run bin/tidemark from the repository root, so that it builds the server");
    }
    if (code != 0 && code != 143) {
      throw new UserFacingException(
          "the model server exited with code " + code,
          "see its log above (e.g. the port " + port + " is taken: pass --port)");
    }
    return 0;
  }
}
