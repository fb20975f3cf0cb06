package dev.tidemark.transforms.panes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/**
 * One entry of a change stream (accumulating and retracting mode): a value a pane adds, or a value
 * emitted earlier that it withdraws, with the window of the pane it belongs to. Summing additions
 * minus retractions gives the current result. The window says which earlier result a retraction
 * withdraws: with merging windows (sessions) it is the window that was merged away, not the window
 * the change is emitted in — no consumer has to guess it from the value.
 *
 * @param value the value added or withdrawn
 * @param retraction true when {@code value} is withdrawn
 * @param windowStart start of the window whose pane added (or had added) {@code value}; null for
 *     the global window
 * @param windowEnd end (exclusive) of that window; null for the global window
 */
public record Change<T>(T value, boolean retraction, Instant windowStart, Instant windowEnd) {

  /** The pane's new value, in {@code window}. */
  public static <T> Change<T> add(T value, BoundedWindow window) {
    return new Change<>(value, false, start(window), end(window));
  }

  /** Withdraws a value emitted earlier by a pane of {@code window}. */
  public static <T> Change<T> retract(T value, BoundedWindow window) {
    return new Change<>(value, true, start(window), end(window));
  }

  /** The window of the pane: an {@link IntervalWindow}, or the {@link GlobalWindow}. */
  public BoundedWindow window() {
    return windowStart == null ? GlobalWindow.INSTANCE : new IntervalWindow(windowStart, windowEnd);
  }

  private static Instant start(BoundedWindow w) {
    return w instanceof IntervalWindow iw ? iw.start() : null;
  }

  private static Instant end(BoundedWindow w) {
    return w instanceof IntervalWindow iw ? iw.end() : null;
  }

  @Override
  public String toString() {
    return retraction ? "-" + value : "+" + value;
  }

  /** Coder of changes given a coder of their values. */
  public static <T> Coder<Change<T>> coder(Coder<T> valueCoder) {
    return new ChangeCoder<>(valueCoder);
  }

  /** Encodes the flag, the value with its own coder, then the window's bounds. */
  static final class ChangeCoder<T> extends CustomCoder<Change<T>> {
    private static final Coder<Instant> BOUND = NullableCoder.of(InstantCoder.of());
    private final Coder<T> valueCoder;

    ChangeCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @Override
    public void encode(Change<T> change, OutputStream out) throws IOException {
      BooleanCoder.of().encode(change.retraction(), out);
      valueCoder.encode(change.value(), out);
      BOUND.encode(change.windowStart(), out);
      BOUND.encode(change.windowEnd(), out);
    }

    @Override
    public Change<T> decode(InputStream in) throws IOException {
      boolean retraction = BooleanCoder.of().decode(in);
      T value = valueCoder.decode(in);
      return new Change<>(value, retraction, BOUND.decode(in), BOUND.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "value coder must be deterministic", valueCoder);
    }
  }
}
