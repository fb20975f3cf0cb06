package dev.tidemark.serving.model;

import dev.tidemark.serving.ServerConfig;
import java.time.Duration;

/**
 * Server-side dynamic batching: concurrent requests for one model are scored in one XGBoost call of
 * at most {@code maxBatchSize} rows; a batch waits at most {@code maxDelay} for more requests, and
 * only while requests for the model are still arriving (so a lone request is never delayed).
 *
 * @param maxBatchSize rows per XGBoost call (a single larger request is scored alone)
 * @param maxDelay the longest a request waits for its batch to fill
 */
public record BatchPolicy(int maxBatchSize, Duration maxDelay) {

  /** The server's defaults: {@value ServerConfig#DEFAULT_MAX_BATCH} rows, 2 ms. */
  public static final BatchPolicy DEFAULT =
      new BatchPolicy(
          ServerConfig.DEFAULT_MAX_BATCH, Duration.ofMillis(ServerConfig.DEFAULT_MAX_DELAY_MS));

  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1");
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative");
    }
  }
}
