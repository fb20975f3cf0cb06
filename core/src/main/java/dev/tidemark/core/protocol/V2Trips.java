package dev.tidemark.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * The Open Inference Protocol V2 wire format of a batch of trips, plain Java: a request holds one
 * input per trip column (shape {@code [n]}; {@code INT64}, {@code FP64} or {@code BYTES}; {@code
 * null} for a missing value), the form in which the Tidemark model server computes the features
 * itself with the answering version's {@code feature_spec.json}; an answer holds {@code
 * model_name}, {@code model_version} and the FP32 output {@code probability} of shape {@code [n]}.
 *
 * <pre>
 * {"inputs":[{"name":"pickup_community_area","shape":[2],"datatype":"INT64","data":[8,null]},
 *            {"name":"fare","shape":[2],"datatype":"FP64","data":[9.25,44.25]}, ...],
 *  "outputs":[{"name":"probability"}]}
 * </pre>
 *
 * <p>Numbers are exact on the wire: doubles are written in their shortest round-trip form, and the
 * FP32 probabilities of the answer are read from their decimal text with one rounding to float
 * ({@link Float#parseFloat}), so a remote answer equals the server's float bit for bit.
 */
public final class V2Trips {

  /** The output this scorer asks for and reads. */
  public static final String OUTPUT = "probability";

  private static final JsonFactory JSON = new JsonFactory();

  /** Keeps decimals as written, so that floats are parsed from their text, not via a double. */
  private static final ObjectMapper ANSWERS =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** One trip column on the wire. */
  private record Column(String name, String datatype, Function<TaxiTrip, Object> value) {}

  /** Every column of {@link dev.tidemark.core.trip.TaxiTripCsv#COLUMNS} but the label. */
  private static final List<Column> COLUMNS =
      List.of(
          new Column("pickup_community_area", "INT64", TaxiTrip::pickupCommunityArea),
          new Column("fare", "FP64", t -> Double.isNaN(t.fare()) ? null : t.fare()),
          new Column("trip_start_month", "INT64", TaxiTrip::tripStartMonth),
          new Column("trip_start_hour", "INT64", TaxiTrip::tripStartHour),
          new Column("trip_start_day", "INT64", TaxiTrip::tripStartDay),
          new Column(
              "trip_start_timestamp",
              "INT64",
              t ->
                  t.tripStartTimestamp() == TaxiTrip.UNKNOWN_START ? null : t.tripStartTimestamp()),
          new Column("pickup_latitude", "FP64", TaxiTrip::pickupLatitude),
          new Column("pickup_longitude", "FP64", TaxiTrip::pickupLongitude),
          new Column("dropoff_latitude", "FP64", TaxiTrip::dropoffLatitude),
          new Column("dropoff_longitude", "FP64", TaxiTrip::dropoffLongitude),
          new Column("trip_miles", "FP64", TaxiTrip::tripMiles),
          new Column("pickup_census_tract", "BYTES", TaxiTrip::pickupCensusTract),
          new Column("dropoff_census_tract", "BYTES", TaxiTrip::dropoffCensusTract),
          new Column("payment_type", "BYTES", TaxiTrip::paymentType),
          new Column("company", "BYTES", TaxiTrip::company),
          new Column("trip_seconds", "INT64", TaxiTrip::tripSeconds),
          new Column("dropoff_community_area", "INT64", TaxiTrip::dropoffCommunityArea));

  private V2Trips() {}

  /**
   * What the server answered for a batch.
   *
   * @param model {@code model_name}
   * @param version {@code model_version}, or null when the server did not say
   * @param probabilities one per trip, in the order of the request
   */
  public record Answer(String model, String version, float[] probabilities) {}

  /** The infer request body (UTF-8 JSON) for {@code trips}. */
  public static byte[] request(List<TaxiTrip> trips) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + trips.size() * 200);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeArrayFieldStart("inputs");
      for (Column c : COLUMNS) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeArrayFieldStart("shape");
        g.writeNumber(trips.size());
        g.writeEndArray();
        g.writeStringField("datatype", c.datatype());
        g.writeArrayFieldStart("data");
        for (TaxiTrip t : trips) {
          Object v = c.value().apply(t);
          if (v == null) {
            g.writeNull();
          } else if (v instanceof String s) {
            g.writeString(s);
          } else if (v instanceof Double d) {
            g.writeNumber(d);
          } else {
            g.writeNumber(((Number) v).longValue());
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("outputs");
      g.writeStartObject();
      g.writeStringField("name", OUTPUT);
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads an infer answer for {@code rows} trips.
   *
   * @throws IllegalArgumentException with a one-sentence reason when the answer is not a V2 answer
   *     with {@code rows} probabilities
   */
  public static Answer answer(byte[] body, int rows) {
    JsonNode root;
    try {
      root = ANSWERS.readTree(body);
    } catch (IOException e) {
      String why = e.getMessage();
      int cut = why == null ? -1 : why.indexOf('\n');
      throw new IllegalArgumentException(
          "the answer is not JSON: " + (cut < 0 ? why : why.substring(0, cut)));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the answer is not a JSON object");
    }
    String model = root.path("model_name").asText(null);
    if (model == null || model.isEmpty()) {
      throw new IllegalArgumentException("the answer has no model_name");
    }
    JsonNode version = root.get("model_version");
    JsonNode outputs = root.path("outputs");
    JsonNode output = null;
    for (JsonNode o : outputs) {
      if (OUTPUT.equals(o.path("name").asText())) {
        output = o;
      }
    }
    if (output == null) {
      throw new IllegalArgumentException("the answer has no output '" + OUTPUT + "'");
    }
    JsonNode data = output.path("data");
    if (!data.isArray() || data.size() != rows) {
      throw new IllegalArgumentException(
          "the answer has "
              + (data.isArray() ? data.size() : 0)
              + " probabilities for "
              + rows
              + " trips");
    }
    float[] p = new float[rows];
    for (int i = 0; i < rows; i++) {
      JsonNode v = data.get(i);
      if (!v.isNumber()) {
        throw new IllegalArgumentException("probability " + i + " is not a number: " + v);
      }
      p[i] = Float.parseFloat(v.asText());
    }
    return new Answer(model, version == null || version.isNull() ? null : version.asText(), p);
  }

  /** The {@code error} of a V2 error body, else the body's first 200 characters. */
  public static String errorMessage(byte[] body) {
    try {
      JsonNode root = ANSWERS.readTree(body);
      if (root != null && root.path("error").isTextual()) {
        return root.get("error").asText();
      }
    } catch (IOException e) {
      // Not JSON: the text itself says what went wrong.
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
