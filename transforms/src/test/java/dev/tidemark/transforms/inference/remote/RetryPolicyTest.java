package dev.tidemark.transforms.inference.remote;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;

/** Exponential backoff with equal jitter, and which failures are worth another try. */
public class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

  /** The pause doubles per retry, between half and all of the exponential delay. */
  @Test
  public void backoffDoublesWithJitterBetweenHalfAndAllOfTheDelay() {
    assertEquals(Duration.ofMillis(50), policy.backoff(1, 0.0));
    assertEquals(Duration.ofMillis(100), policy.backoff(1, 1.0));
    assertEquals(Duration.ofMillis(100), policy.backoff(2, 0.0));
    assertEquals(Duration.ofMillis(150), policy.backoff(2, 0.5));
    assertEquals(Duration.ofMillis(400), policy.backoff(3, 1.0));
  }

  /** The exponential delay stops growing at the cap. */
  @Test
  public void backoffIsCappedAtTheMaximum() {
    assertEquals(Duration.ofMillis(1000), policy.backoff(5, 1.0));
    assertEquals(Duration.ofMillis(500), policy.backoff(40, 0.0));
  }

  /** 429 and server errors are retried; client errors and "not implemented" are not. */
  @Test
  public void onlyTooManyRequestsAndServerErrorsAreRetried() {
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertTrue("HTTP " + status, RemoteScorer.retryable(status));
    }
    for (int status : new int[] {400, 401, 404, 405, 413, 501, 505}) {
      assertFalse("HTTP " + status, RemoteScorer.retryable(status));
    }
  }

  /** At least one attempt. */
  @Test(expected = IllegalArgumentException.class)
  public void zeroAttemptsAreRefused() {
    new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1));
  }
}
