package dev.tidemark.serving;

import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.serving.model.BatchPolicy;
import java.time.Duration;

/**
 * Everything the model server is configured with. {@link #defaults(String)} gives the values {@code
 * bin/tidemark serve} uses unless told otherwise.
 *
 * @param repository the model repository: {@code s3://bucket[/prefix]}, {@code file:///dir} or a
 *     directory
 * @param s3 how to reach S3 (from {@code AWS_*} / {@code S3_ENDPOINT} variables)
 * @param host the address to bind
 * @param port the port to bind (0: a free one)
 * @param eventLoops HTTP event loops (one server each)
 * @param batch dynamic batching policy
 * @param pollInterval how often the repository is scanned for new versions (0: never)
 * @param keepVersions loaded versions kept per model
 * @param maxBodyBytes largest accepted request body
 * @param requestTimeout longest time to answer a request
 * @param bearerToken token clients must send, or null
 * @param shutdownGrace how long shutdown waits for in-flight requests
 * @param evaluator what computes the probabilities: the compiled trees (default) or xgboost4j
 */
public record ServerConfig(
    String repository,
    S3Settings s3,
    String host,
    int port,
    int eventLoops,
    BatchPolicy batch,
    Duration pollInterval,
    int keepVersions,
    long maxBodyBytes,
    Duration requestTimeout,
    String bearerToken,
    Duration shutdownGrace,
    Evaluator evaluator) {

  // The server's defaults, in one place: ServerConfig.defaults, serving.Main and the flags of
  // `bin/tidemark serve` (whose help shows them) all read these constants.

  /** The repository {@code bin/tidemark train} publishes to by default. */
  public static final String DEFAULT_REPOSITORY = "s3://models";

  /** The default address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default port (KServe's too). */
  public static final int DEFAULT_PORT = 8080;

  /** How often the repository is scanned for new versions, in seconds. */
  public static final long DEFAULT_POLL_SECONDS = 10;

  /** Dynamic batching: rows per XGBoost call. */
  public static final int DEFAULT_MAX_BATCH = 64;

  /** Dynamic batching: the longest wait for a batch to fill, in milliseconds. */
  public static final long DEFAULT_MAX_DELAY_MS = 2;

  /** The longest time to answer a request, in milliseconds. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  /** The largest accepted request body. */
  public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;

  /** Loaded versions kept per model. */
  public static final int DEFAULT_KEEP_VERSIONS = 2;

  /** How long shutdown waits for in-flight requests, in seconds. */
  public static final long DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

  /** The evaluator's flag value by default: {@code compiled} ({@link Evaluator#DEFAULT}). */
  public static final String DEFAULT_EVALUATOR = "compiled";

  /** The configuration as it was before the evaluator could be chosen: the default evaluator. */
  public ServerConfig(
      String repository,
      S3Settings s3,
      String host,
      int port,
      int eventLoops,
      BatchPolicy batch,
      Duration pollInterval,
      int keepVersions,
      long maxBodyBytes,
      Duration requestTimeout,
      String bearerToken,
      Duration shutdownGrace) {
    this(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        Evaluator.parse(DEFAULT_EVALUATOR));
  }

  /** Defaults for {@code repository}: loopback, port 8080, S3 settings from the environment. */
  public static ServerConfig defaults(String repository) {
    return new ServerConfig(
        repository,
        S3Settings.fromEnv(),
        DEFAULT_HOST,
        DEFAULT_PORT,
        // Half the cores: the batcher threads need the other half (measured on 2 cores: p99 at
        // concurrency 16 fell from ~27 ms with 2 event loops to ~5 ms with 1, same throughput).
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        BatchPolicy.DEFAULT,
        Duration.ofSeconds(DEFAULT_POLL_SECONDS),
        DEFAULT_KEEP_VERSIONS,
        DEFAULT_MAX_BODY_BYTES,
        Duration.ofMillis(DEFAULT_TIMEOUT_MS),
        null,
        Duration.ofSeconds(DEFAULT_SHUTDOWN_GRACE_SECONDS),
        Evaluator.parse(DEFAULT_EVALUATOR));
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        repository,
        s3,
        host,
        newPort,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(
        repository,
        s3,
        newHost,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withS3(S3Settings newS3) {
    return new ServerConfig(
        repository,
        newS3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withBatch(BatchPolicy newBatch) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        newBatch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withPollInterval(Duration newInterval) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        newInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withMaxBodyBytes(long newMax) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        newMax,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withRequestTimeout(Duration newTimeout) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        newTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withBearerToken(String newToken) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        newToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withEventLoops(int newLoops) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        newLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        evaluator);
  }

  public ServerConfig withEvaluator(Evaluator newEvaluator) {
    return new ServerConfig(
        repository,
        s3,
        host,
        port,
        eventLoops,
        batch,
        pollInterval,
        keepVersions,
        maxBodyBytes,
        requestTimeout,
        bearerToken,
        shutdownGrace,
        newEvaluator);
  }
}
