package dev.tidemark.cli;

import dev.tidemark.core.store.S3Settings;
import dev.tidemark.serving.deploy.KServeManifests;
import dev.tidemark.serving.deploy.ModelUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark k8s}: Kubernetes manifests for moving a model to KServe. */
@Command(
    name = "k8s",
    mixinStandardHelpOptions = true,
    description = "Write Kubernetes manifests (KServe) for Tidemark models.",
    subcommands = {K8sCommand.InferenceServiceCommand.class, CommandLine.HelpCommand.class})
final class K8sCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code tidemark k8s inferenceservice}: InferenceService + Secret + ServiceAccount YAML. */
  @Command(
      name = "inferenceservice",
      mixinStandardHelpOptions = true,
      description = {
        "Write a KServe InferenceService (modelFormat xgboost, protocolVersion v2, storageUri ="
            + " the model version) with the S3 Secret (serving.kserve.io/s3-* annotations) and the"
            + " ServiceAccount it needs, as one YAML file for kubectl apply -f.",
        "Credentials and endpoint come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /"
            + " AWS_ENDPOINT_URL (or --s3-endpoint), as for train and serve."
      })
  static final class InferenceServiceCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        required = true,
        description = "The model version, e.g. s3://models/taxi-tips/20261127T090000Z.")
    String model;

    @Option(names = "--name", description = "InferenceService name (default: the model name).")
    String name;

    @Option(
        names = "--namespace",
        defaultValue = "default",
        description = "Kubernetes namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
        names = "--s3-endpoint",
        description = "S3 endpoint as seen from the cluster, e.g. http://minio.minio:9000.")
    String s3Endpoint;

    @Option(
        names = {"-o", "--output"},
        description = "Write the YAML to this file (default: stdout).")
    Path output;

    @Override
    public Integer call() throws IOException {
      ModelUri uri;
      try {
        uri = ModelUri.parse(model);
      } catch (IllegalArgumentException e) {
        throw new UserFacingException(
            e.getMessage(),
            "pass --model s3://<bucket>/<model>/<version>, as printed by bin/tidemark train",
            TidemarkCli.USAGE_ERROR,
            e);
      }
      if (!uri.repository().startsWith("s3://")) {
        throw new UserFacingException(
            "KServe reads models from object storage, not from " + uri.repository(),
            "train to S3 (bin/tidemark train --output s3://models) and pass that version",
            TidemarkCli.USAGE_ERROR,
            null);
      }
      S3Settings s3 = S3Settings.fromEnv().withEndpointIfSet(s3Endpoint);
      String yaml =
          KServeManifests.inferenceService(uri, name == null ? uri.model() : name, namespace, s3);
      if (output == null) {
        spec.commandLine().getOut().print(yaml);
        spec.commandLine().getOut().flush();
      } else {
        if (output.toAbsolutePath().getParent() != null) {
          Files.createDirectories(output.toAbsolutePath().getParent());
        }
        Files.writeString(output, yaml, StandardCharsets.UTF_8);
        spec.commandLine()
            .getOut()
            .println(
                "wrote "
                    + output
                    + " (Secret, ServiceAccount,"
                    + " InferenceService "
                    + (name == null ? uri.model() : name)
                    + ")");
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
