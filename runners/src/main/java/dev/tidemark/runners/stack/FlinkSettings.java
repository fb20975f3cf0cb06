package dev.tidemark.runners.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the standalone Flink session cluster keeps its configuration, logs and temporary files, and
 * on which loopback ports its JobManager listens (the TaskManager takes free ports of its own).
 *
 * <p>{@link #fromEnvironment} reads, each with a local default: {@code TIDEMARK_STACK_DIR} (the
 * same data directory as the event-log stack, default {@code <repo>/.tidemark/stack}), {@code
 * TIDEMARK_FLINK_REST_PORT} (8081: REST API, web UI, and what {@code --flinkMaster} names), {@code
 * TIDEMARK_FLINK_RPC_PORT} (6123), {@code TIDEMARK_FLINK_BLOB_PORT} (6124).
 *
 * @param repositoryRoot the Tidemark checkout (holds {@code runners/stack/flink})
 * @param dataDir the directory holding {@code flink-jobmanager/} and {@code flink-taskmanager/}
 * @param restPort the JobManager's REST port: jobs are submitted here
 * @param rpcPort the JobManager's RPC port: the TaskManager registers here
 * @param blobPort the JobManager's blob server port: job jars are fetched from here
 */
public record FlinkSettings(
    Path repositoryRoot, Path dataDir, int restPort, int rpcPort, int blobPort) {

  /** Settings from the process environment, with local defaults. */
  public static FlinkSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Settings from {@code env}, with local defaults. */
  public static FlinkSettings fromEnvironment(Map<String, String> env) {
    // The stack's own parsing of TIDEMARK_STACK_DIR and its port checks, for one behaviour.
    StackSettings stack = StackSettings.fromEnvironment(env);
    return new FlinkSettings(
        stack.repositoryRoot(),
        stack.dataDir(),
        StackSettings.port(env, "TIDEMARK_FLINK_REST_PORT", 8081),
        StackSettings.port(env, "TIDEMARK_FLINK_RPC_PORT", 6123),
        StackSettings.port(env, "TIDEMARK_FLINK_BLOB_PORT", 6124));
  }

  /**
   * Settings for a throw-away cluster under {@code dataDir} on free ephemeral ports: what
   * integration tests use, so that they never collide with a running cluster.
   */
  public static FlinkSettings ephemeral(Path dataDir) {
    return new FlinkSettings(
        StackSettings.findRepositoryRoot(),
        dataDir.toAbsolutePath(),
        StackSettings.freePort(),
        StackSettings.freePort(),
        StackSettings.freePort());
  }

  /** {@code 127.0.0.1:<restPort>}: the value of Beam's {@code --flinkMaster}. */
  public String flinkMaster() {
    return "127.0.0.1:" + restPort;
  }

  /** {@code http://127.0.0.1:<restPort>}: the REST API and web UI. */
  public String restUrl() {
    return "http://127.0.0.1:" + restPort;
  }
}
