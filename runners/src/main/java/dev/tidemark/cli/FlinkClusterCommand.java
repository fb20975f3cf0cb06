package dev.tidemark.cli;

import dev.tidemark.runners.stack.FlinkCluster;
import dev.tidemark.runners.stack.FlinkSettings;
import dev.tidemark.runners.stack.LocalStack;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark flink-cluster up | down | status}: a standalone Flink 1.19 session cluster on
 * loopback (one JobManager, one TaskManager, see {@link FlinkCluster}), the remote target of {@code
 * --runner=FlinkRunner --flinkMaster=127.0.0.1:8081}. Results on standard output, progress on
 * standard error.
 */
@Command(
    name = "flink-cluster",
    description = {
      "Start, stop or check a standalone Flink 1.19 session cluster on 127.0.0.1.",
      "One JobManager and one TaskManager (2 slots), each in its own JVM. Submit to it with",
      "  bin/tidemark run <pipeline> --runner=FlinkRunner --flinkMaster=127.0.0.1:8081 \\",
      "    --filesToStage=runners/target/tidemark-bundled-0.1.0-SNAPSHOT.jar ...",
      "Environment: TIDEMARK_STACK_DIR (default <repo>/.tidemark/stack),",
      "TIDEMARK_FLINK_REST_PORT (8081), TIDEMARK_FLINK_RPC_PORT (6123),",
      "TIDEMARK_FLINK_BLOB_PORT (6124)."
    },
    mixinStandardHelpOptions = true)
final class FlinkClusterCommand implements Runnable {

  /** Exit code of {@code status} when a process is not running or not answering. */
  static final int NOT_HEALTHY = 3;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new UserFacingException(
        "say what to do with the Flink cluster",
        "run bin/tidemark flink-cluster up, down or status",
        TidemarkCli.USAGE_ERROR,
        null);
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start what is not running and wait until the TaskManager has registered.")
  int up() {
    FlinkCluster flink = cluster();
    Progress progress =
        Progress.start("starting the Flink cluster in " + flink.settings().dataDir());
    LocalStack.Status status;
    try {
      status = ServerStatusTable.guard(flink::up);
    } finally {
      progress.stop();
    }
    PrintWriter out = out();
    ServerStatusTable.print(out, status, 17);
    out.println(
        "submit with: --runner=FlinkRunner --flinkMaster=" + flink.settings().flinkMaster());
    out.flush();
    return 0;
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop the TaskManager and the JobManager; running jobs are lost (idempotent).")
  int down() {
    FlinkCluster flink = cluster();
    List<String> stopped = ServerStatusTable.guard(flink::down);
    PrintWriter out = out();
    out.println(
        stopped.isEmpty()
            ? "Flink cluster was not running"
            : "stopped " + String.join(", ", stopped));
    out.flush();
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Print each process, its health and the REST endpoint.",
        "Exit code 0 when both run and the TaskManager is registered, "
            + NOT_HEALTHY
            + " otherwise."
      })
  int status() {
    LocalStack.Status status = ServerStatusTable.guard(cluster()::status);
    PrintWriter out = out();
    ServerStatusTable.print(out, status, 17);
    out.flush();
    return status.healthy() ? 0 : NOT_HEALTHY;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static FlinkCluster cluster() {
    return FlinkCluster.create(ServerStatusTable.guard(FlinkSettings::fromEnvironment));
  }
}
