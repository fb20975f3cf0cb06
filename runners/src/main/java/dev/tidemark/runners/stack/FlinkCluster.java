package dev.tidemark.runners.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts, stops and checks a standalone Flink 1.19 session cluster on loopback: one JobManager and
 * one TaskManager (two slots), each in its own JVM, from the jars that the build resolved from
 * Maven Central ({@code runners/stack/flink}). It is the remote target of Beam's FlinkRunner:
 * {@code --runner=FlinkRunner --flinkMaster=}{@link FlinkSettings#flinkMaster()}. Like {@link
 * LocalStack}, the processes outlive the JVM that started them; their pids are kept under {@link
 * FlinkSettings#dataDir()}, so that any later process can stop them.
 *
 * <p>All operations are idempotent: {@link #up()} starts only what is not running and returns when
 * the TaskManager has registered; {@link #down()} stops what runs.
 *
 * <pre>{@code
 * try (FlinkCluster flink = FlinkCluster.create(FlinkSettings.ephemeral(tmp))) {
 *   flink.up();
 *   String master = flink.settings().flinkMaster();   // 127.0.0.1:<rest port>
 * } // close() = down()
 * }</pre>
 */
public final class FlinkCluster implements AutoCloseable {

  private final FlinkSettings settings;
  private final FlinkJobManager jobManager;
  private final FlinkTaskManager taskManager;

  private FlinkCluster(FlinkSettings settings) {
    this.settings = settings;
    this.jobManager = new FlinkJobManager(settings);
    this.taskManager = new FlinkTaskManager(settings);
  }

  /** A handle on the cluster described by {@code settings}; starts nothing. */
  public static FlinkCluster create(FlinkSettings settings) {
    return new FlinkCluster(settings);
  }

  /** The cluster's settings: ports, data directory, {@code --flinkMaster} value. */
  public FlinkSettings settings() {
    return settings;
  }

  /**
   * Starts the JobManager and the TaskManager unless they run, and waits until the REST API answers
   * and counts the TaskManager.
   *
   * @return the status once healthy
   * @throws StackException when a process cannot start or does not answer in time
   */
  public LocalStack.Status up() {
    try {
      // Launch both, then wait: the TaskManager retries its registration until the JobManager is
      // up, so the two JVMs start in parallel.
      ProcessHandle jm = jobManager.start();
      ProcessHandle tm = taskManager.start();
      jobManager.awaitHealthy(jm);
      taskManager.awaitHealthy(tm);
      return status();
    } catch (IOException e) {
      throw new StackException(
          "cannot prepare the Flink cluster under " + settings.dataDir() + ": " + e.getMessage(),
          "check that the directory is writable (TIDEMARK_STACK_DIR chooses another)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while starting the Flink cluster", "run it again", e);
    }
  }

  /**
   * Stops whichever process runs, TaskManager first (SIGTERM, then SIGKILL after 30 s). Jobs that
   * still run are lost; their outputs and the logs are kept.
   *
   * @return the names of the processes that were stopped
   */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    try {
      if (taskManager.stop()) {
        stopped.add(taskManager.name());
      }
      if (jobManager.stop()) {
        stopped.add(jobManager.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while stopping the Flink cluster", "run it again", e);
    }
    return stopped;
  }

  /** Checks each process: alive, and whether the JobManager's REST API answers. */
  public LocalStack.Status status() {
    return new LocalStack.Status(
        List.of(LocalStack.statusOf(jobManager), LocalStack.statusOf(taskManager)),
        settings.dataDir());
  }

  /** Stops the cluster: what tests use through try-with-resources. */
  @Override
  public void close() {
    down();
  }
}
