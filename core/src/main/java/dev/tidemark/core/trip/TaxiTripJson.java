package dev.tidemark.core.trip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads and writes {@link TaxiTrip}s as JSON events, one object per event, with the CSV column
 * names of {@link TaxiTripCsv#COLUMNS} as field names and {@code null} for missing values. Plain
 * Java, free of Beam.
 *
 * <p>Reading rejects, with a one-sentence reason: bytes that are not UTF-8 or not a JSON object, a
 * field of the wrong type, a missing or negative fare, a missing trip start, and impossible values
 * (a trip start before 2000 or after 2100, a month outside 1-12, an hour outside 0-23, a day of
 * week outside 1-7, a community area outside 1-77, negative miles or seconds).
 *
 * <p>{@link #fromJsonMap} is the lenient form in which the model server receives KServe V1
 * instances: any field may be missing, {@code null} or an empty string (a missing {@code fare}
 * becomes {@link Double#NaN}, a missing {@code trip_start_timestamp} {@link
 * TaxiTrip#UNKNOWN_START}); numbers may be JSON numbers or numeric strings, exactly like the CSV;
 * unknown keys are ignored.
 */
public final class TaxiTripJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z, in Unix seconds: plausible trip starts. */
  private static final long MIN_START = 946_684_800L;

  private static final long MAX_START = 4_102_444_800L;

  private TaxiTripJson() {}

  /** The event as compact UTF-8 JSON; {@code parse(toJson(t))} equals {@code t}. */
  public static byte[] toJson(TaxiTrip t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("pickup_community_area", t.pickupCommunityArea());
    o.put("fare", t.fare());
    o.put("trip_start_month", t.tripStartMonth());
    o.put("trip_start_hour", t.tripStartHour());
    o.put("trip_start_day", t.tripStartDay());
    o.put("trip_start_timestamp", t.tripStartTimestamp());
    o.put("pickup_latitude", t.pickupLatitude());
    o.put("pickup_longitude", t.pickupLongitude());
    o.put("dropoff_latitude", t.dropoffLatitude());
    o.put("dropoff_longitude", t.dropoffLongitude());
    o.put("trip_miles", t.tripMiles());
    o.put("pickup_census_tract", t.pickupCensusTract());
    o.put("dropoff_census_tract", t.dropoffCensusTract());
    o.put("payment_type", t.paymentType());
    o.put("company", t.company());
    o.put("trip_seconds", t.tripSeconds());
    o.put("dropoff_community_area", t.dropoffCommunityArea());
    o.put("tips", t.tips());
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a tree of scalars always serialises", e);
    }
  }

  /**
   * Parses one event.
   *
   * @throws MalformedTripException with the reason when the bytes are not a valid trip event
   */
  public static TaxiTrip parse(byte[] bytes) throws MalformedTripException {
    JsonNode o = tree(bytes);
    Double fare = decimal(o, "fare");
    if (fare == null) {
      throw new MalformedTripException("fare is missing");
    }
    if (fare < 0) {
      throw new MalformedTripException("fare is negative: " + fare);
    }
    Long start = integer(o, "trip_start_timestamp");
    if (start == null) {
      throw new MalformedTripException("trip_start_timestamp is missing");
    }
    checkStart(start);
    return new TaxiTrip(
        ranged(o, "pickup_community_area", 1, 77),
        fare,
        ranged(o, "trip_start_month", 1, 12),
        ranged(o, "trip_start_hour", 0, 23),
        ranged(o, "trip_start_day", 1, 7),
        start,
        decimal(o, "pickup_latitude"),
        decimal(o, "pickup_longitude"),
        decimal(o, "dropoff_latitude"),
        decimal(o, "dropoff_longitude"),
        nonNegative(o, "trip_miles"),
        text(o, "pickup_census_tract"),
        text(o, "dropoff_census_tract"),
        text(o, "payment_type"),
        text(o, "company"),
        ranged(o, "trip_seconds", 0, Integer.MAX_VALUE),
        ranged(o, "dropoff_community_area", 1, 77),
        decimal(o, "tips"));
  }

  /**
   * The event time of an event (its {@code trip_start_timestamp}, Unix seconds) without checking
   * the other fields, or empty when it cannot be read: what a reader uses to stamp records before
   * they are fully parsed.
   */
  public static OptionalLong tripStartSeconds(byte[] bytes) {
    try {
      Long start = integer(tree(bytes), "trip_start_timestamp");
      if (start == null) {
        return OptionalLong.empty();
      }
      checkStart(start);
      return OptionalLong.of(start);
    } catch (MalformedTripException e) {
      return OptionalLong.empty();
    }
  }

  private static void checkStart(long start) throws MalformedTripException {
    if (start < MIN_START || start >= MAX_START) {
      throw new MalformedTripException(
          "trip_start_timestamp is not a plausible time (2000-2099): " + start);
    }
  }

  private static JsonNode tree(byte[] bytes) throws MalformedTripException {
    if (bytes == null) {
      throw new MalformedTripException("the event is empty (null value)");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedTripException("the event is not UTF-8 text");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message continues with the whole input; the first clause is the reason.
      String why = e.getOriginalMessage();
      int cut = why.indexOf(" (");
      throw new MalformedTripException(
          "the event is not valid JSON: " + (cut < 0 ? why : why.substring(0, cut)));
    }
    if (node == null || !node.isObject()) {
      throw new MalformedTripException("the event is not a JSON object");
    }
    return node;
  }

  private static JsonNode field(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private static Double decimal(JsonNode o, String name) throws MalformedTripException {
    JsonNode v = field(o, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw new MalformedTripException(name + " is not a number: " + v);
    }
    double d = v.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new MalformedTripException(name + " is not a finite number: " + v);
    }
    return d;
  }

  private static Double nonNegative(JsonNode o, String name) throws MalformedTripException {
    Double d = decimal(o, name);
    if (d != null && d < 0) {
      throw new MalformedTripException(name + " is negative: " + d);
    }
    return d;
  }

  private static Long integer(JsonNode o, String name) throws MalformedTripException {
    JsonNode v = field(o, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new MalformedTripException(name + " is not an integer: " + v);
    }
    return v.longValue();
  }

  private static Integer ranged(JsonNode o, String name, int min, int max)
      throws MalformedTripException {
    Long v = integer(o, name);
    if (v == null) {
      return null;
    }
    if (v < min || v > max) {
      throw new MalformedTripException(name + " is out of range " + min + ".." + max + ": " + v);
    }
    return v.intValue();
  }

  private static String text(JsonNode o, String name) throws MalformedTripException {
    JsonNode v = field(o, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new MalformedTripException(name + " is not a string: " + v);
    }
    return v.asText();
  }

  // ----- the lenient form: KServe V1 instances, any field may be missing -----

  /**
   * Converts one JSON object (as parsed by Jackson or any JSON library into a map).
   *
   * @throws MalformedTripException when a present field is not of its column's type
   */
  public static TaxiTrip fromJsonMap(Map<String, ?> m) throws MalformedTripException {
    Double fare = decimal(m, "fare");
    Long start = integer(m, "trip_start_timestamp");
    return new TaxiTrip(
        smallInt(m, "pickup_community_area"),
        fare == null ? Double.NaN : fare,
        smallInt(m, "trip_start_month"),
        smallInt(m, "trip_start_hour"),
        smallInt(m, "trip_start_day"),
        start == null ? TaxiTrip.UNKNOWN_START : start,
        decimal(m, "pickup_latitude"),
        decimal(m, "pickup_longitude"),
        decimal(m, "dropoff_latitude"),
        decimal(m, "dropoff_longitude"),
        decimal(m, "trip_miles"),
        text(m, "pickup_census_tract"),
        text(m, "dropoff_census_tract"),
        text(m, "payment_type"),
        text(m, "company"),
        smallInt(m, "trip_seconds"),
        smallInt(m, "dropoff_community_area"),
        decimal(m, "tips"));
  }

  private static String text(Map<String, ?> m, String column) {
    Object v = m.get(column);
    if (v == null) {
      return null;
    }
    String s;
    if (v instanceof Double || v instanceof Float) {
      // A census tract sent as a JSON number: render it as the CSV does (no exponent, no ".0").
      s = new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
    } else {
      s = v.toString();
    }
    s = s.strip();
    return s.isEmpty() ? null : s;
  }

  private static Double decimal(Map<String, ?> m, String column) throws MalformedTripException {
    Object v = m.get(column);
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new MalformedTripException(column + " is not a finite number: " + v);
      }
      return d;
    }
    String s = text(m, column);
    if (s == null) {
      return null;
    }
    if (v instanceof Boolean) {
      throw new MalformedTripException(column + " is not a number: " + v);
    }
    try {
      double d = Double.parseDouble(s);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new MalformedTripException(column + " is not a number: '" + s + "'");
    }
  }

  private static Long integer(Map<String, ?> m, String column) throws MalformedTripException {
    Object v = m.get(column);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new MalformedTripException(column + " is not an integer: " + v);
      }
      return (long) d;
    }
    String s = text(m, column);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedTripException(column + " is not an integer: '" + s + "'");
    }
  }

  private static Integer smallInt(Map<String, ?> m, String column) throws MalformedTripException {
    Long v = integer(m, column);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new MalformedTripException(column + " is out of range: " + v);
    }
    return v.intValue();
  }
}
