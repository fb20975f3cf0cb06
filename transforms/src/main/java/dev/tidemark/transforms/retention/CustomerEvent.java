package dev.tidemark.transforms.retention;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.joda.time.Instant;

/**
 * One event of a customer's web-shop session, as read from a JSON line such as {@code {"customer":
 * "c42", "type": "cart_dropped", "time": "2026-01-01T12:07:00Z", "cart_value": 37.5}}.
 *
 * @param customer the customer id
 * @param type what happened
 * @param time when it happened (event time)
 * @param cartValue the cart's value, or null when the event has none
 */
public record CustomerEvent(String customer, Type type, Instant time, Double cartValue) {

  /** The kinds of session events, with their JSON names. */
  public enum Type {
    LOGIN("login"),
    ADD_TO_CART("add_to_cart"),
    CART_DROPPED("cart_dropped"),
    CHECKOUT("checkout"),
    LOGOUT("logout");

    private final String json;

    Type(String json) {
      this.json = json;
    }

    /** The name used in JSON, e.g. {@code cart_dropped}. */
    public String json() {
      return json;
    }

    /** The type named {@code json}, or null. */
    public static Type fromJson(String json) {
      for (Type t : values()) {
        if (t.json.equals(json)) {
          return t;
        }
      }
      return null;
    }
  }

  public CustomerEvent {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
  }

  /** A deterministic coder (usable for keys, tie-breaking and state). */
  public static Coder<CustomerEvent> coder() {
    return CustomerEventCoder.INSTANCE;
  }

  /** Encodes customer, type ordinal, time and the optional cart value. */
  static final class CustomerEventCoder extends CustomCoder<CustomerEvent> {
    static final CustomerEventCoder INSTANCE = new CustomerEventCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<Instant> INSTANT = InstantCoder.of();
    private static final Coder<Double> OPTIONAL_DOUBLE = NullableCoder.of(DoubleCoder.of());

    @Override
    public void encode(CustomerEvent value, OutputStream out) throws IOException {
      STRING.encode(value.customer(), out);
      INT.encode(value.type().ordinal(), out);
      INSTANT.encode(value.time(), out);
      OPTIONAL_DOUBLE.encode(value.cartValue(), out);
    }

    @Override
    public CustomerEvent decode(InputStream in) throws IOException {
      return new CustomerEvent(
          STRING.decode(in),
          Type.values()[INT.decode(in)],
          INSTANT.decode(in),
          OPTIONAL_DOUBLE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
