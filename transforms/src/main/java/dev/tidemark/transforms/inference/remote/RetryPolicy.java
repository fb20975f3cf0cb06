package dev.tidemark.transforms.inference.remote;

import java.io.Serializable;
import java.time.Duration;

/**
 * How often and how patiently a failed remote call is tried again: at most {@code maxAttempts}
 * calls in all, and before retry {@code k} (1, 2, ...) a pause drawn from {@code [b/2, b]} where
 * {@code b = min(maxBackoff, initialBackoff * 2^(k-1))} — exponential backoff with "equal jitter",
 * so that scorers that failed together do not retry in lockstep, yet each waits at least half the
 * exponential delay. Only retryable failures are retried (see {@link RemoteScorer}).
 *
 * @param maxAttempts calls in all, at least 1 (1 = no retry)
 * @param initialBackoff the exponential delay before the first retry
 * @param maxBackoff the cap of the exponential delay
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
    implements Serializable {

  /** 3 attempts, 100 ms before the first retry, at most 2 s between two attempts. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "backoffs must not be negative: " + initialBackoff + ", " + maxBackoff);
    }
  }

  /**
   * The pause before retry {@code retry} (1 for the second attempt).
   *
   * @param random a uniform draw from [0, 1): 0 gives half the exponential delay, 1 all of it
   */
  public Duration backoff(int retry, double random) {
    long initial = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long exponential = initial;
    for (int k = 1; k < retry && exponential < cap; k++) {
      exponential *= 2;
    }
    exponential = Math.min(exponential, cap);
    return Duration.ofMillis(
        exponential / 2 + Math.round(random * (exponential - exponential / 2)));
  }
}
