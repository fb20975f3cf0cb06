package dev.tidemark.transforms.inference.remote;

import dev.tidemark.core.time.ProcessingClock;
import java.time.Duration;
import java.time.Instant;

/** A processing clock that a test moves by hand. */
final class ManualClock implements ProcessingClock {
  private static final long serialVersionUID = 1L;

  private Instant now;

  ManualClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  synchronized void advance(Duration d) {
    now = now.plus(d);
  }
}
