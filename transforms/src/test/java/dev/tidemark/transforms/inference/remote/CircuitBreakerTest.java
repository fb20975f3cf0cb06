package dev.tidemark.transforms.inference.remote;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.tidemark.transforms.inference.remote.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.Test;

/** The breaker's state machine, with time moved by hand. */
public class CircuitBreakerTest {

  private static final Instant TEN_O_CLOCK = Instant.parse("2026-11-27T10:00:00Z");

  private final ManualClock clock = new ManualClock(TEN_O_CLOCK);
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertTrue("a call may go out", breaker.tryAcquire());
      breaker.onFailure();
    }
  }

  /** Fewer consecutive failures than the threshold leave it closed. */
  @Test
  public void staysClosedBelowTheThreshold() {
    fail(2);
    assertEquals(State.CLOSED, breaker.state());
    assertEquals(2, breaker.consecutiveFailures());
    assertTrue(breaker.tryAcquire());
  }

  /** A success resets the count: failures must be consecutive to open it. */
  @Test
  public void aSuccessResetsTheCountOfConsecutiveFailures() {
    fail(2);
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    fail(2);
    assertEquals(State.CLOSED, breaker.state());
    assertEquals(2, breaker.consecutiveFailures());
  }

  /** The third consecutive failure opens it; while open no call goes out. */
  @Test
  public void opensAtTheThresholdAndRefusesCallsWhileOpen() {
    fail(2);
    assertTrue(breaker.tryAcquire());
    assertTrue("this failure opens it", breaker.onFailure());
    assertEquals(State.OPEN, breaker.state());
    assertEquals(Instant.parse("2026-11-27T10:00:30Z"), breaker.openUntil());
    assertEquals(1, breaker.timesOpened());

    clock.advance(Duration.ofSeconds(29));
    assertFalse(breaker.tryAcquire());
    assertEquals(State.OPEN, breaker.state());
  }

  /** After the open period exactly one trial call goes out; its success closes the breaker. */
  @Test
  public void halfOpenLetsOneTrialThroughAndItsSuccessCloses() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    assertEquals(State.HALF_OPEN, breaker.state());
    assertTrue("the trial", breaker.tryAcquire());
    assertFalse("a second call while the trial runs", breaker.tryAcquire());
    breaker.onSuccess();
    assertEquals(State.CLOSED, breaker.state());
    assertEquals(0, breaker.consecutiveFailures());
    assertTrue(breaker.tryAcquire());
  }

  /** A failed trial reopens it for another full period at once, whatever the threshold. */
  @Test
  public void aFailedTrialReopensForAnotherPeriod() {
    fail(3);
    clock.advance(Duration.ofSeconds(31));
    assertTrue(breaker.tryAcquire());
    assertTrue("the failed trial reopens it", breaker.onFailure());
    assertEquals(State.OPEN, breaker.state());
    assertEquals(Instant.parse("2026-11-27T10:01:01Z"), breaker.openUntil());
    assertEquals(2, breaker.timesOpened());
    assertFalse(breaker.tryAcquire());
  }

  /** A threshold below one is refused. */
  @Test(expected = IllegalArgumentException.class)
  public void aThresholdBelowOneIsRefused() {
    new CircuitBreaker(0, Duration.ofSeconds(1), clock);
  }
}
