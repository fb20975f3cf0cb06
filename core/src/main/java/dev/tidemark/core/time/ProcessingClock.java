package dev.tidemark.core.time;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A serializable source of processing time ("now") for DoFns and watermark estimators. Production
 * code uses {@link #system()}; tests pin it with {@link #fixedAt(Instant)} so that skews and
 * watermark lags are literal values.
 *
 * <p>It is plain Java (no Beam), so Beam-free classes such as {@code BoundedOutOfOrderness} can be
 * driven by it too.
 */
@FunctionalInterface
public interface ProcessingClock extends Serializable {

  /** The current processing time. */
  Instant now();

  /** The machine's wall clock. */
  static ProcessingClock system() {
    return SystemClock.INSTANCE;
  }

  /** A clock that always reads {@code instant}: every element is processed "at" that moment. */
  static ProcessingClock fixedAt(Instant instant) {
    return new FixedClock(instant);
  }

  /** The wall clock; a singleton so that it serializes to itself. */
  enum SystemClock implements ProcessingClock {
    INSTANCE;

    @Override
    public Instant now() {
      return Instant.now();
    }
  }

  /** A clock stopped at one instant. */
  record FixedClock(Instant instant) implements ProcessingClock {
    public FixedClock {
      Objects.requireNonNull(instant, "instant");
    }

    @Override
    public Instant now() {
      return instant;
    }
  }
}
