package dev.tidemark.transforms.retention;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.joda.time.Instant;
import org.junit.Test;

/** The JSON line formats of the retention use case: what parses, what is rejected and why. */
public class CustomerEventJsonTest {

  private static final Instant NOON_SEVEN = Instant.parse("2026-01-01T12:07:00Z");

  /** A complete line parses into all four fields. */
  @Test
  public void completeLineParses() throws Exception {
    CustomerEvent e =
        CustomerEventJson.parse(
            "{\"customer\": \"c42\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:07:00Z\","
                + " \"cart_value\": 37.5}");
    assertEquals(new CustomerEvent("c42", CustomerEvent.Type.CART_DROPPED, NOON_SEVEN, 37.5), e);
  }

  /** cart_value is optional, null counts as absent, unknown fields are ignored. */
  @Test
  public void cartValueIsOptional() throws Exception {
    assertEquals(
        new CustomerEvent("c1", CustomerEvent.Type.LOGIN, NOON_SEVEN, null),
        CustomerEventJson.parse(
            "{\"customer\": \"c1\", \"type\": \"login\", \"time\": \"2026-01-01T12:07:00Z\"}"));
    assertEquals(
        new CustomerEvent("c1", CustomerEvent.Type.LOGOUT, NOON_SEVEN, null),
        CustomerEventJson.parse(
            "{\"customer\": \"c1\", \"type\": \"logout\", \"time\": \"2026-01-01T13:07:00+01:00\","
                + " \"cart_value\": null, \"device\": \"phone\"}"));
  }

  /** Each kind of defect is rejected with a reason naming it. */
  @Test
  public void malformedLinesAreRejectedWithReason() {
    assertReason("empty line", "");
    assertReason("not a JSON object", "[1, 2]");
    assertReason(
        "not valid JSON: Unexpected end-of-input: expected close marker for Object",
        "{\"customer\": \"c1\"");
    assertReason(
        "field 'customer' must be a non-empty string",
        "{\"customer\": \"\", \"type\": \"login\", \"time\": \"2026-01-01T12:07:00Z\"}");
    assertReason(
        "unknown type 'teleport' (expected login, add_to_cart, cart_dropped, checkout or logout)",
        "{\"customer\": \"c1\", \"type\": \"teleport\", \"time\": \"2026-01-01T12:07:00Z\"}");
    assertReason(
        "field 'time' is not an ISO-8601 instant: 'yesterday'",
        "{\"customer\": \"c1\", \"type\": \"login\", \"time\": \"yesterday\"}");
    assertReason(
        "field 'cart_value' must be a number",
        "{\"customer\": \"c1\", \"type\": \"login\", \"time\": \"2026-01-01T12:07:00Z\","
            + " \"cart_value\": \"37.5\"}");
  }

  /** Actions print exactly as specified, with a null cart value when the drop had none. */
  @Test
  public void actionLineFormat() throws Exception {
    assertEquals(
        "{\"customer\": \"c42\", \"dropped_at\": \"2026-01-01T12:07:00Z\", \"cart_value\": 37.5}",
        new RetentionAction("c42", NOON_SEVEN, 37.5).toJson());
    assertEquals(
        "{\"customer\": \"c\\\"q\", \"dropped_at\": \"2026-01-01T12:07:00.250Z\","
            + " \"cart_value\": null}",
        new RetentionAction("c\"q", NOON_SEVEN.plus(250), null).toJson());
    assertEquals(
        new RetentionAction("c42", NOON_SEVEN, 37.5),
        CustomerEventJson.parseAction(new RetentionAction("c42", NOON_SEVEN, 37.5).toJson()));
  }

  private static void assertReason(String reason, String line) {
    MalformedEventException e =
        assertThrows(MalformedEventException.class, () -> CustomerEventJson.parse(line));
    assertEquals(reason, e.getMessage());
  }
}
