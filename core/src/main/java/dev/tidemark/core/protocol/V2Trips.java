package dev.tidemark.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TripColumn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

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

  /** Every trip column but the label, in file order: the inputs of a request. */
  private static final List<TripColumn> INPUTS =
      TripColumn.ALL.stream().filter(c -> !c.isLabel()).toList();

  /**
   * The V2 datatype of a trip column's tensor: {@code INT64} for integers and the start time,
   * {@code FP64} for decimals, {@code BYTES} for text.
   */
  public static String datatype(TripColumn column) {
    return switch (column.type()) {
      case INTEGER, LONG -> "INT64";
      case DECIMAL -> "FP64";
      case TEXT -> "BYTES";
    };
  }

  /** The trip columns a request carries, one input each: every column but the label. */
  public static List<TripColumn> inputs() {
    return INPUTS;
  }

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
      for (TripColumn c : INPUTS) {
        g.writeStartObject();
        g.writeStringField("name", c.column());
        g.writeArrayFieldStart("shape");
        g.writeNumber(trips.size());
        g.writeEndArray();
        g.writeStringField("datatype", datatype(c));
        g.writeArrayFieldStart("data");
        for (TaxiTrip t : trips) {
          Object v = c.valueOf(t);
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
