package dev.tidemark.transforms.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.format.DateTimeParseException;
import org.joda.time.Instant;

/**
 * Reads and writes the JSON lines of the retention use case (Beam-free): session events in,
 * retention actions out.
 */
public final class CustomerEventJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CustomerEventJson() {}

  /**
   * Parses one line such as {@code {"customer": "c42", "type": "login", "time":
   * "2026-01-01T12:00:00Z", "cart_value": 37.5}} ({@code cart_value} optional; other fields
   * ignored).
   *
   * @throws MalformedEventException with a one-sentence reason
   */
  public static CustomerEvent parse(String line) throws MalformedEventException {
    if (line == null || line.isBlank()) {
      throw new MalformedEventException("empty line");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      // Jackson's message goes on with what it expected and where: keep its first clause.
      String detail = e.getOriginalMessage();
      for (String end : new String[] {": was expecting", " (", "\n"}) {
        int cut = detail.indexOf(end);
        if (cut > 0) {
          detail = detail.substring(0, cut);
        }
      }
      throw new MalformedEventException("not valid JSON: " + detail);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedEventException("not a JSON object");
    }
    JsonNode customer = node.get("customer");
    if (customer == null || !customer.isTextual() || customer.asText().isBlank()) {
      throw new MalformedEventException("field 'customer' must be a non-empty string");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new MalformedEventException("field 'type' must be a string");
    }
    CustomerEvent.Type t = CustomerEvent.Type.fromJson(type.asText());
    if (t == null) {
      throw new MalformedEventException(
          "unknown type '"
              + type.asText()
              + "' (expected login, add_to_cart, cart_dropped, checkout or logout)");
    }
    JsonNode time = node.get("time");
    if (time == null || !time.isTextual()) {
      throw new MalformedEventException("field 'time' must be an ISO-8601 string");
    }
    Instant instant;
    try {
      instant = Instant.ofEpochMilli(java.time.Instant.parse(time.asText()).toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new MalformedEventException(
          "field 'time' is not an ISO-8601 instant: '" + time.asText() + "'");
    }
    JsonNode value = node.get("cart_value");
    Double cartValue = null;
    if (value != null && !value.isNull()) {
      if (!value.isNumber()) {
        throw new MalformedEventException("field 'cart_value' must be a number");
      }
      cartValue = value.asDouble();
    }
    return new CustomerEvent(customer.asText(), t, instant, cartValue);
  }

  /** The JSON line of {@code event} (for generated logs and tests). */
  public static String format(CustomerEvent event) {
    StringBuilder b = new StringBuilder();
    b.append("{\"customer\": ").append(quote(event.customer()));
    b.append(", \"type\": \"").append(event.type().json()).append('"');
    b.append(", \"time\": \"").append(iso(event.time())).append('"');
    if (event.cartValue() != null) {
      b.append(", \"cart_value\": ").append(number(event.cartValue()));
    }
    return b.append('}').toString();
  }

  /**
   * The JSON line of an action: {@code {"customer": ..., "dropped_at": ..., "cart_value": ...}}.
   */
  public static String format(RetentionAction action) {
    return "{\"customer\": "
        + quote(action.customer())
        + ", \"dropped_at\": \""
        + iso(action.droppedAt())
        + "\", \"cart_value\": "
        + (action.cartValue() == null ? "null" : number(action.cartValue()))
        + "}";
  }

  /**
   * UTC ISO-8601, seconds always, milliseconds only when not zero: {@code 2026-01-01T12:07:00Z}.
   */
  public static String iso(Instant instant) {
    return java.time.Instant.ofEpochMilli(instant.getMillis()).toString();
  }

  /**
   * Parses an action line as written by {@link #format(RetentionAction)} (to sort or compare
   * outputs).
   *
   * @throws MalformedEventException if it is not such a line
   */
  public static RetentionAction parseAction(String line) throws MalformedEventException {
    try {
      JsonNode node = MAPPER.readTree(line);
      JsonNode value = node.get("cart_value");
      return new RetentionAction(
          node.get("customer").asText(),
          Instant.ofEpochMilli(
              java.time.Instant.parse(node.get("dropped_at").asText()).toEpochMilli()),
          value == null || value.isNull() ? null : value.asDouble());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new MalformedEventException("not an action line: " + line);
    }
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String number(double d) {
    try {
      return MAPPER.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
