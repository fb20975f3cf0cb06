package dev.tidemark.transforms.inference.remote;

import dev.tidemark.core.time.ProcessingClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for calls to one remote service, driven by a {@link ProcessingClock} so that
 * tests move time by hand. Plain Java, free of Beam.
 *
 * <pre>
 *            failureThreshold consecutive failures
 *   CLOSED ─────────────────────────────────────────► OPEN ◄──────────┐
 *     ▲                                                │               │ the trial fails
 *     │ the trial succeeds                             │ openFor passed│
 *     └──────────────────────────────── HALF_OPEN ◄────┘ (next ask) ───┘
 *                                       (one trial call at a time)
 * </pre>
 *
 * <p>Callers ask {@link #tryAcquire()} before each call and report its result with {@link
 * #onSuccess()} or {@link #onFailure()}; while the breaker is open, {@code tryAcquire} says no and
 * the caller fails fast without calling. A success resets the count of consecutive failures.
 * Thread-safe (its methods are synchronized), although a scorer uses it from one thread.
 */
public final class CircuitBreaker {

  /** Where the breaker stands. */
  public enum State {
    /** Calls go through; consecutive failures are counted. */
    CLOSED,
    /** Calls are refused until the open period has passed. */
    OPEN,
    /** The open period has passed: one trial call decides between CLOSED and OPEN again. */
    HALF_OPEN
  }

  private final int failureThreshold;
  private final Duration openFor;
  private final ProcessingClock clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private Instant openUntil;
  private boolean trialInFlight;
  private int timesOpened;

  /**
   * A closed breaker.
   *
   * @param failureThreshold consecutive failed calls that open it (at least 1)
   * @param openFor how long it stays open before it lets one trial call through
   * @param clock the time source
   */
  public CircuitBreaker(int failureThreshold, Duration openFor, ProcessingClock clock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException(
          "the failure threshold must be at least 1: " + failureThreshold);
    }
    if (openFor.isNegative()) {
      throw new IllegalArgumentException("the open period must not be negative: " + openFor);
    }
    this.failureThreshold = failureThreshold;
    this.openFor = openFor;
    this.clock = clock;
  }

  /**
   * Whether a call may go out now. Open: no, until the open period has passed; then the breaker
   * turns half-open and this call is its one trial (further asks say no until the trial's result is
   * reported).
   */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.now().isBefore(openUntil)) {
          return false;
        }
        state = State.HALF_OPEN;
        trialInFlight = true;
        return true;
      case HALF_OPEN:
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  /** The call that {@link #tryAcquire()} let through succeeded: the breaker closes. */
  public synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  /**
   * The call that {@link #tryAcquire()} let through failed.
   *
   * @return true when this failure opened the breaker
   */
  public synchronized boolean onFailure() {
    trialInFlight = false;
    if (state == State.OPEN) {
      return false;
    }
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openUntil = clock.now().plus(openFor);
      timesOpened++;
      return true;
    }
    return false;
  }

  /**
   * The current state; an open breaker whose period has passed reads {@link State#HALF_OPEN} (it
   * turns so at the next {@link #tryAcquire()}).
   */
  public synchronized State state() {
    if (state == State.OPEN && !clock.now().isBefore(openUntil)) {
      return State.HALF_OPEN;
    }
    return state;
  }

  /** Consecutive failed calls since the last success. */
  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** When the breaker last opened plus the open period; null if it never opened. */
  public synchronized Instant openUntil() {
    return openUntil;
  }

  /** How many times the breaker opened. */
  public synchronized int timesOpened() {
    return timesOpened;
  }

  /** The consecutive failures that open the breaker. */
  public int failureThreshold() {
    return failureThreshold;
  }
}
