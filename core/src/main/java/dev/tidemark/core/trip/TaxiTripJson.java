package dev.tidemark.core.trip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  private TaxiTripJson() {}

  /** The event as compact UTF-8 JSON; {@code parse(toJson(t))} equals {@code t}. */
  public static byte[] toJson(TaxiTrip t) {
    ObjectNode o = MAPPER.createObjectNode();
    for (TripColumn c : TripColumn.ALL) {
      Object v = c.valueOf(t);
      if (v == null) {
        o.putNull(c.column());
      } else if (v instanceof Integer i) {
        o.put(c.column(), i);
      } else if (v instanceof Long l) {
        o.put(c.column(), l);
      } else if (v instanceof Double d) {
        o.put(c.column(), d);
      } else {
        o.put(c.column(), (String) v);
      }
    }
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
    Object[] values = new Object[TripColumn.ALL.size()];
    // The required columns first, so that an event missing one says so before anything else.
    for (TripColumn c : TripColumn.ALL) {
      if (c.isRequired()) {
        values[c.ordinal()] = c.fromEventJson(o.get(c.column()));
        if (values[c.ordinal()] == null) {
          throw new MalformedTripException(c.column() + " is missing");
        }
      }
    }
    for (TripColumn c : TripColumn.ALL) {
      if (!c.isRequired()) {
        values[c.ordinal()] = c.fromEventJson(o.get(c.column()));
      }
    }
    return TripColumn.trip(values);
  }

  /**
   * The event time of an event (its {@code trip_start_timestamp}, Unix seconds) without checking
   * the other fields, or empty when it cannot be read: what a reader uses to stamp records before
   * they are fully parsed.
   */
  public static OptionalLong tripStartSeconds(byte[] bytes) {
    try {
      Long start =
          (Long)
              TripColumn.TRIP_START_TIMESTAMP.fromEventJson(
                  tree(bytes).get(TripColumn.TRIP_START_TIMESTAMP.column()));
      return start == null ? OptionalLong.empty() : OptionalLong.of(start);
    } catch (MalformedTripException e) {
      return OptionalLong.empty();
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

  // ----- the lenient form: KServe V1 instances, any field may be missing -----

  /**
   * Converts one JSON object (as parsed by Jackson or any JSON library into a map).
   *
   * @throws MalformedTripException when a present field is not of its column's type
   */
  public static TaxiTrip fromJsonMap(Map<String, ?> m) throws MalformedTripException {
    Object[] values = new Object[TripColumn.ALL.size()];
    for (TripColumn c : TripColumn.ALL) {
      values[c.ordinal()] = c.fromLoose(m.get(c.column()));
    }
    return TripColumn.trip(values);
  }
}
