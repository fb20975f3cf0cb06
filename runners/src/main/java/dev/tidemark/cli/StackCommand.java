package dev.tidemark.cli;

import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.runners.stack.StackSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark stack up | down | status}: the local event-log stack (a KRaft Kafka broker and
 * S3Proxy on loopback, see {@link LocalStack}). Results on standard output, progress on standard
 * error; credentials are never printed.
 */
@Command(
    name = "stack",
    description = {
      "Start, stop or check the local event-log stack (Kafka broker and S3 store).",
      "A single-node Kafka broker (KRaft) and an S3-compatible object store (S3Proxy), each in",
      "its own JVM on 127.0.0.1.",
      "Environment: TIDEMARK_STACK_DIR (default <repo>/.tidemark/stack), TIDEMARK_KAFKA_PORT (9092),",
      "TIDEMARK_KAFKA_CONTROLLER_PORT (9093), TIDEMARK_S3_PORT (9000), AWS_REGION (us-east-1),",
      "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (local defaults; never printed)."
    },
    mixinStandardHelpOptions = true,
    subcommandsRepeatable = false)
final class StackCommand implements Runnable {

  /** Exit code of {@code status} when a server is not running or not answering. */
  static final int NOT_HEALTHY = 3;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new UserFacingException(
        "say what to do with the stack",
        "run bin/tidemark stack up, bin/tidemark stack down or bin/tidemark stack status",
        TidemarkCli.USAGE_ERROR,
        null);
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start what is not running and wait until both servers answer (idempotent).")
  int up() {
    LocalStack stack = stack();
    Progress progress = Progress.start("starting the local stack in " + stack.settings().dataDir());
    LocalStack.Status status;
    try {
      status = ServerStatusTable.guard(stack::up);
    } finally {
      progress.stop();
    }
    PrintWriter out = out();
    ServerStatusTable.print(out, status, 6);
    out.println(
        "client environment (credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
    out.println("or the local defaults, and are not shown):");
    for (Map.Entry<String, String> e : new TreeMap<>(stack.clientEnvironment()).entrySet()) {
      out.println("  export " + e.getKey() + "=" + e.getValue());
    }
    out.flush();
    return 0;
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop the servers that run; keep their data (idempotent).")
  int down() {
    LocalStack stack = stack();
    List<String> stopped = ServerStatusTable.guard(stack::down);
    PrintWriter out = out();
    out.println(
        stopped.isEmpty()
            ? "stack was not running (data kept in " + stack.settings().dataDir() + ")"
            : "stopped "
                + String.join(", ", stopped)
                + " (data kept in "
                + stack.settings().dataDir()
                + ")");
    out.flush();
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Print each server's process, health and endpoint.",
        "Exit code 0 when both run and answer, " + NOT_HEALTHY + " otherwise."
      })
  int status() {
    LocalStack.Status status = ServerStatusTable.guard(stack()::status);
    PrintWriter out = out();
    ServerStatusTable.print(out, status, 6);
    out.flush();
    return status.healthy() ? 0 : NOT_HEALTHY;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static LocalStack stack() {
    return LocalStack.create(ServerStatusTable.guard(StackSettings::fromEnvironment));
  }
}
