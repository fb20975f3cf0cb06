package dev.tidemark.cli;

import dev.tidemark.serving.ServerConfig;
import dev.tidemark.serving.deploy.Deployer;
import dev.tidemark.serving.deploy.ModelUri;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark deploy}: loads a model version on a running model server and waits until it is
 * ready ({@link Deployer}); {@code bin/tidemark train --deploy-to URL} runs the same code after
 * training.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Deploy a model version to a running model server: load it (Open Inference Protocol"
          + " repository extension) and wait until it is ready and serving by default.",
      "The server must serve the repository the version is in. A bearer token, when the server"
          + " wants one, is read from TIDEMARK_SERVING_TOKEN."
    })
final class DeployCommand implements Callable<Integer> {

  /** The variable holding the bearer token for servers started with --token-env. */
  static final String TOKEN_ENV = "TIDEMARK_SERVING_TOKEN";

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      description = "The model version, e.g. s3://models/taxi-tips/20261127T090000Z.")
  String model;

  @Option(
      names = "--server",
      defaultValue = "http://" + ServerConfig.DEFAULT_HOST + ":" + ServerConfig.DEFAULT_PORT,
      description = "The model server (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "60",
      description = "How long to wait for the version to be ready (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() {
    ModelUri uri;
    try {
      uri = ModelUri.parse(model);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(
          e.getMessage(),
          "pass --model <repository>/<model>/<version>, as printed by bin/tidemark train",
          TidemarkCli.USAGE_ERROR,
          e);
    }
    deploy(uri, server, Duration.ofSeconds(timeoutSeconds), spec.commandLine().getOut());
    return 0;
  }

  /** Deploys {@code uri} to {@code server} and prints one line; shared with {@code train}. */
  static void deploy(ModelUri uri, String server, Duration timeout, java.io.PrintWriter out) {
    try {
      Duration took = new Deployer(server, System.getenv(TOKEN_ENV)).deploy(uri, timeout);
      out.printf(
          "deployed %s to %s as %s (ready in %d ms)%n", uri, server, uri.model(), took.toMillis());
      out.flush();
    } catch (Deployer.DeployException e) {
      throw new UserFacingException(
          e.getMessage(),
          "start the server on the version's repository (bin/tidemark serve --repository "
              + uri.repository()
              + ") and pass its URL with --server",
          TidemarkCli.FAILURE,
          e);
    }
  }
}
