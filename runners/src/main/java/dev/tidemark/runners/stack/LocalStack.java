package dev.tidemark.runners.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Starts, stops and checks the local event-log stack: a single-node KRaft Kafka broker and an
 * S3-compatible object store (S3Proxy), each in its own JVM on loopback, with their data under
 * {@link StackSettings#dataDir()}. The servers outlive the process that started them; their pids
 * are kept in the data directory, so that any later process can stop them.
 *
 * <p>All operations are idempotent: {@link #up()} starts only what is not running and returns when
 * both servers answer requests (and the buckets exist); {@link #down()} stops what runs.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.create(StackSettings.ephemeral(tmp))) {
 *   stack.up();
 *   String bootstrap = stack.settings().kafkaBootstrap();   // 127.0.0.1:<port>
 *   String s3 = stack.settings().s3Endpoint();              // http://127.0.0.1:<port>
 * } // close() = down()
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

  /** The bucket of the data lake, created by {@link #up()}. */
  public static final String LAKE_BUCKET = "lake";

  /**
   * What one server is doing.
   *
   * @param name {@code kafka}, {@code s3}, {@code flink-jobmanager} or {@code flink-taskmanager}
   * @param running whether its process (from the pid file) is alive
   * @param pid its process id, or -1
   * @param healthy whether it answered a request just now
   * @param endpoint what clients connect to
   * @param detail what the health probe saw (never a credential)
   * @param log the server's log file
   */
  public record ServerStatus(
      String name,
      boolean running,
      long pid,
      boolean healthy,
      String endpoint,
      String detail,
      Path log) {}

  /**
   * The state of the whole stack.
   *
   * @param servers one status per server, in start order
   * @param dataDir where their data lives
   */
  public record Status(List<ServerStatus> servers, Path dataDir) {
    /** Whether every server runs and answers. */
    public boolean healthy() {
      return servers.stream().allMatch(s -> s.running() && s.healthy());
    }

    /** Whether no server runs. */
    public boolean stopped() {
      return servers.stream().noneMatch(ServerStatus::running);
    }
  }

  private final StackSettings settings;
  private final KafkaBroker kafka;
  private final S3ProxyServer s3;

  private LocalStack(StackSettings settings) {
    this.settings = settings;
    this.kafka = new KafkaBroker(settings);
    this.s3 = new S3ProxyServer(settings);
  }

  /** A handle on the stack described by {@code settings}; starts nothing. */
  public static LocalStack create(StackSettings settings) {
    return new LocalStack(settings);
  }

  /** The stack's settings: endpoints, region, credentials for clients. */
  public StackSettings settings() {
    return settings;
  }

  /**
   * Starts whichever server is not running, waits until both answer, and creates the {@value
   * #LAKE_BUCKET} bucket if missing.
   *
   * @return the status once healthy
   * @throws StackException when a server cannot start or does not answer in time
   */
  public Status up() {
    try {
      // Launch both first, then wait: the two JVMs start in parallel.
      ProcessHandle k = kafka.start();
      ProcessHandle s = s3.start();
      kafka.awaitHealthy(k);
      s3.awaitHealthy(s);
      ensureBucket(LAKE_BUCKET);
      return status();
    } catch (IOException e) {
      throw new StackException(
          "cannot prepare the stack under " + settings.dataDir() + ": " + e.getMessage(),
          "check that the directory is writable (TIDEMARK_STACK_DIR chooses another)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while starting the stack", "run it again", e);
    }
  }

  /**
   * Stops whichever server runs (SIGTERM, then SIGKILL after 30 s); keeps the data.
   *
   * @return the names of the servers that were stopped
   */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    try {
      if (s3.stop()) {
        stopped.add(s3.name());
      }
      if (kafka.stop()) {
        stopped.add(kafka.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while stopping the stack", "run it again", e);
    }
    return stopped;
  }

  /** Checks each server: process alive, and whether it answers. */
  public Status status() {
    return new Status(List.of(statusOf(kafka), statusOf(s3)), settings.dataDir());
  }

  /**
   * The client-side environment for this stack, without secrets: {@code TIDEMARK_KAFKA_BOOTSTRAP},
   * {@code AWS_ENDPOINT_URL}, {@code AWS_REGION}.
   */
  public Map<String, String> clientEnvironment() {
    return Map.of(
        "TIDEMARK_KAFKA_BOOTSTRAP", settings.kafkaBootstrap(),
        "AWS_ENDPOINT_URL", settings.s3Endpoint(),
        "AWS_REGION", settings.region());
  }

  /** An S3 client for the stack's object store (path-style, the stack's credentials). */
  public S3Client s3Client() {
    return s3.client();
  }

  /**
   * Runs one of Kafka's command-line tools (e.g. {@code
   * org.apache.kafka.tools.ProducerPerformance}) in its own JVM on the broker's classpath and
   * returns its output (stdout and stderr).
   */
  public String runKafkaTool(String mainClass, List<String> args) {
    try {
      return kafka.runTool(
          List.of(
              "-Xmx512m", "-Dlog4j.configuration=file:" + kafka.dir().resolve("log4j.properties")),
          mainClass,
          args);
    } catch (IOException e) {
      throw new StackException(
          "cannot run " + mainClass + ": " + e.getMessage(), "check the data directory", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while running " + mainClass, "run it again", e);
    }
  }

  /** Stops the stack: what tests use through try-with-resources. */
  @Override
  public void close() {
    down();
  }

  private void ensureBucket(String bucket) {
    try (S3Client client = s3.client()) {
      boolean exists =
          client.listBuckets().buckets().stream().map(Bucket::name).anyMatch(bucket::equals);
      if (!exists) {
        client.createBucket(b -> b.bucket(bucket));
      }
    } catch (RuntimeException e) {
      throw new StackException(
          "cannot create bucket " + bucket + ": " + e.getMessage(), "read " + s3.logFile(), e);
    }
  }

  static ServerStatus statusOf(ServerProcess server) {
    Optional<ProcessHandle> p = server.running();
    ServerProcess.Health h =
        p.isPresent() ? server.probe() : new ServerProcess.Health(false, "not running");
    return new ServerStatus(
        server.name(),
        p.isPresent(),
        p.map(ProcessHandle::pid).orElse(-1L),
        h.up(),
        server.endpoint(),
        h.detail(),
        server.logFile());
  }
}
