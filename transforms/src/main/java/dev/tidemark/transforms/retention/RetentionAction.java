package dev.tidemark.transforms.retention;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/**
 * A retention action: reach out to {@code customer}, who dropped a cart at {@code droppedAt} while
 * logged in and did not check out within the window.
 *
 * @param customer the customer id
 * @param droppedAt the event time of the {@code cart_dropped} event
 * @param cartValue that event's cart value, or null when it had none
 */
public record RetentionAction(String customer, Instant droppedAt, Double cartValue) {

  /** The output order: by drop time, then customer, then cart value (absent first). */
  public static final Comparator<RetentionAction> ORDER =
      Comparator.comparing(RetentionAction::droppedAt)
          .thenComparing(RetentionAction::customer)
          .thenComparing(
              RetentionAction::cartValue, Comparator.nullsFirst(Comparator.naturalOrder()));

  public RetentionAction {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(droppedAt, "droppedAt");
  }

  /** The output line: {@code {"customer": "c42", "dropped_at": "...Z", "cart_value": 37.5}}. */
  public String toJson() {
    return CustomerEventJson.format(this);
  }

  /** A deterministic coder. */
  public static Coder<RetentionAction> coder() {
    return RetentionActionCoder.INSTANCE;
  }

  /** Encodes customer, drop time and the optional value. */
  static final class RetentionActionCoder extends CustomCoder<RetentionAction> {
    static final RetentionActionCoder INSTANCE = new RetentionActionCoder();
    private static final Coder<Double> OPTIONAL_DOUBLE = NullableCoder.of(DoubleCoder.of());

    @Override
    public void encode(RetentionAction value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.customer(), out);
      InstantCoder.of().encode(value.droppedAt(), out);
      OPTIONAL_DOUBLE.encode(value.cartValue(), out);
    }

    @Override
    public RetentionAction decode(InputStream in) throws IOException {
      return new RetentionAction(
          StringUtf8Coder.of().decode(in),
          InstantCoder.of().decode(in),
          OPTIONAL_DOUBLE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
