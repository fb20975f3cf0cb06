package dev.tidemark.transforms.panes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * One entry of a change stream (accumulating and retracting mode): a value a pane adds, or a value
 * emitted earlier that it withdraws. Summing additions minus retractions gives the current result.
 *
 * @param value the value added or withdrawn
 * @param retraction true when {@code value} is withdrawn
 */
public record Change<T>(T value, boolean retraction) {

  /** The pane's new value. */
  public static <T> Change<T> add(T value) {
    return new Change<>(value, false);
  }

  /** Withdraws a value emitted earlier. */
  public static <T> Change<T> retract(T value) {
    return new Change<>(value, true);
  }

  @Override
  public String toString() {
    return retraction ? "-" + value : "+" + value;
  }

  /** Coder of changes given a coder of their values. */
  public static <T> Coder<Change<T>> coder(Coder<T> valueCoder) {
    return new ChangeCoder<>(valueCoder);
  }

  /** Encodes the flag, then the value with its own coder. */
  static final class ChangeCoder<T> extends CustomCoder<Change<T>> {
    private final Coder<T> valueCoder;

    ChangeCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @Override
    public void encode(Change<T> change, OutputStream out) throws IOException {
      BooleanCoder.of().encode(change.retraction(), out);
      valueCoder.encode(change.value(), out);
    }

    @Override
    public Change<T> decode(InputStream in) throws IOException {
      boolean retraction = BooleanCoder.of().decode(in);
      return new Change<>(valueCoder.decode(in), retraction);
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
