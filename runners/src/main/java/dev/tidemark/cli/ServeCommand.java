package dev.tidemark.cli;

import dev.tidemark.core.store.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

  /** Where train publishes by default, so that train then serve serves the model just trained. */
  static final String DEFAULT_REPOSITORY = "s3://models";

  private static final Path SERVING_CLASSES = Paths.get("serving", "target", "classes");
  private static final Path SERVING_CLASSPATH =
      Paths.get("serving", "target", "runtime-classpath.txt");

  @Option(
      names = "--repository",
      defaultValue = DEFAULT_REPOSITORY,
      description =
          "Model repository: s3://bucket[/prefix] or a directory (default: ${DEFAULT-VALUE}).")
  String repository;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--poll-seconds",
      defaultValue = "10",
      description =
          "Scan the repository for new versions every N s; 0 = never (default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  @Option(
      names = "--max-batch",
      defaultValue = "64",
      description = "Dynamic batching: rows per XGBoost call (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-delay-ms",
      defaultValue = "2",
      description =
          "Dynamic batching: longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
  long maxDelayMs;

  @Option(
      names = "--timeout-ms",
      defaultValue = "10000",
      description = "Request timeout, answered with 503 (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "8388608",
      description = "Largest request body, larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--token-env",
      description = "Require 'Authorization: Bearer <token>', the token read from this variable.")
  String tokenEnv;

  @Option(names = "--s3-endpoint", description = "S3 endpoint, overriding AWS_ENDPOINT_URL.")
  String s3Endpoint;

  @Override
  public Integer call() throws IOException, InterruptedException {
    S3Settings s3 = S3Settings.fromEnv();
    if (s3Endpoint != null) {
      s3 = s3.withEndpoint(java.net.URI.create(s3Endpoint));
    }
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
    if (tokenEnv != null && System.getenv(tokenEnv) == null) {
      throw new UserFacingException(
          "--token-env names " + tokenEnv + ", which is not set",
          "export " + tokenEnv + "=<token> or leave out --token-env");
    }
    if (!Files.isDirectory(SERVING_CLASSES) || !Files.isRegularFile(SERVING_CLASSPATH)) {
      throw new UserFacingException(
          "the model server is not built (" + SERVING_CLASSPATH + " is missing)",
          "run bin/tidemark from the repository root, or build it: mvn -B -DskipTests package -pl"
              + " runners -am");
    }
    String classpath =
        SERVING_CLASSES.toAbsolutePath()
            + java.io.File.pathSeparator
            + Files.readString(SERVING_CLASSPATH).strip();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String opt :
        System.getenv()
            .getOrDefault("TIDEMARK_SERVING_JAVA_OPTS", "-Xmx1g")
            .strip()
            .split("\\s+")) {
      if (!opt.isEmpty()) {
        command.add(opt);
      }
    }
    command.add("-Dlog4j2.configurationFile=" + logConfig());
    command.addAll(List.of("-cp", classpath, "dev.tidemark.serving.Main"));
    command.addAll(List.of("--repository", repository, "--host", host, "--port", "" + port));
    command.addAll(List.of("--poll-seconds", "" + pollSeconds, "--max-batch", "" + maxBatch));
    command.addAll(List.of("--max-delay-ms", "" + maxDelayMs, "--timeout-ms", "" + timeoutMs));
    command.addAll(List.of("--max-body-bytes", "" + maxBodyBytes));
    if (tokenEnv != null) {
      command.addAll(List.of("--token-env", tokenEnv));
    }
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("AWS_ENDPOINT_URL", s3.endpoint().toString());
    Process server = pb.start();
    Thread stopper =
        new Thread(
            () -> {
              // Ctrl-C or SIGTERM here: the server drains in-flight requests, then exits.
              server.destroy();
              try {
                if (!server.waitFor(15, TimeUnit.SECONDS)) {
                  server.destroyForcibly();
                }
              } catch (InterruptedException e) {
                server.destroyForcibly();
              }
            },
            "stop-model-server");
    Runtime.getRuntime().addShutdownHook(stopper);
    int code = server.waitFor();
    Runtime.getRuntime().removeShutdownHook(stopper);
    if (code != 0 && code != 143) {
      throw new UserFacingException(
          "the model server exited with code " + code,
          "see its log above (e.g. the port " + port + " is taken: pass --port)");
    }
    return 0;
  }

  private static String logConfig() {
    Path own = Paths.get("runners", "target", "classes", "log4j2.xml");
    return Files.isRegularFile(own) ? own.toAbsolutePath().toString() : "log4j2.xml";
  }
}
