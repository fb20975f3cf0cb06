package dev.tidemark.transforms.late;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/**
 * An element that arrived too late for its window, captured with the evidence: its event time, the
 * window it belonged to, the input watermark when it arrived, and the reason in words.
 *
 * @param element the element itself
 * @param timestamp its event time
 * @param windowStart start of the window it was assigned to, or null for the global window
 * @param windowEnd end (exclusive) of that window, or null for the global window
 * @param watermark the input watermark when it arrived
 * @param reason why it is late, e.g. {@code "window [12:00, 12:02) expired at 12:04 (end + 2m
 *     allowed lateness); watermark was 12:05"}
 */
public record LateElement<T>(
    T element,
    Instant timestamp,
    Instant windowStart,
    Instant windowEnd,
    Instant watermark,
    String reason) {

  public LateElement {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(watermark, "watermark");
    Objects.requireNonNull(reason, "reason");
  }

  /** Captures {@code element} of {@code window}, late at {@code watermark}. */
  public static <T> LateElement<T> of(
      T element, Instant timestamp, BoundedWindow window, Instant watermark, String reason) {
    if (window instanceof IntervalWindow iw) {
      return new LateElement<>(element, timestamp, iw.start(), iw.end(), watermark, reason);
    }
    if (window instanceof GlobalWindow) {
      return new LateElement<>(element, timestamp, null, null, watermark, reason);
    }
    throw new IllegalArgumentException("unsupported window type " + window.getClass().getName());
  }

  /** The window as a Beam window: an {@link IntervalWindow}, or the {@link GlobalWindow}. */
  public BoundedWindow window() {
    return windowStart == null ? GlobalWindow.INSTANCE : new IntervalWindow(windowStart, windowEnd);
  }

  /** Coder of {@link LateElement}s given a coder of their elements. */
  public static <T> Coder<LateElement<T>> coder(Coder<T> elementCoder) {
    return new LateElementCoder<>(elementCoder);
  }

  /** Encodes the element with its own coder, then the instants and the reason. */
  static final class LateElementCoder<T> extends CustomCoder<LateElement<T>> {
    private static final Coder<Instant> INSTANT = InstantCoder.of();
    private static final Coder<Instant> OPTIONAL_INSTANT = NullableCoder.of(InstantCoder.of());
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private final Coder<T> elementCoder;

    LateElementCoder(Coder<T> elementCoder) {
      this.elementCoder = elementCoder;
    }

    @Override
    public void encode(LateElement<T> value, OutputStream out) throws IOException {
      elementCoder.encode(value.element(), out);
      INSTANT.encode(value.timestamp(), out);
      OPTIONAL_INSTANT.encode(value.windowStart(), out);
      OPTIONAL_INSTANT.encode(value.windowEnd(), out);
      INSTANT.encode(value.watermark(), out);
      STRING.encode(value.reason(), out);
    }

    @Override
    public LateElement<T> decode(InputStream in) throws IOException {
      return new LateElement<>(
          elementCoder.decode(in),
          INSTANT.decode(in),
          OPTIONAL_INSTANT.decode(in),
          OPTIONAL_INSTANT.decode(in),
          INSTANT.decode(in),
          STRING.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(elementCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "element coder must be deterministic", elementCoder);
    }
  }
}
