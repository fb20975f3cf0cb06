package dev.tidemark.core.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TripColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Keeps decimals as written, so that floats are parsed from their text, not via a double; and
   * tolerates what this client does not read (datatype, shape, parameters, other outputs).
   */
  private static final ObjectMapper ANSWERS =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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

  /** The infer request for {@code trips}: one input per column, the probability output. */
  public static V2.InferRequest inferRequest(List<TaxiTrip> trips) {
    long[] shape = {trips.size()};
    List<V2.RequestInput> inputs = new ArrayList<>(INPUTS.size());
    for (TripColumn c : INPUTS) {
      List<Object> data = new ArrayList<>(trips.size());
      for (TaxiTrip t : trips) {
        data.add(c.valueOf(t));
      }
      inputs.add(new V2.RequestInput(c.column(), shape, datatype(c), data));
    }
    return new V2.InferRequest(null, null, inputs, List.of(new V2.RequestOutput(OUTPUT)));
  }

  /** The infer request body (UTF-8 JSON) for {@code trips}. */
  public static byte[] request(List<TaxiTrip> trips) {
    try {
      return JSON.writeValueAsBytes(inferRequest(trips));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing scalars to memory", e);
    }
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
    // The shape is checked on the tree, for exact reasons; the values come from the record.
    if (root.path("model_name").asText("").isEmpty()) {
      throw new IllegalArgumentException("the answer has no model_name");
    }
    JsonNode output = null;
    for (JsonNode o : root.path("outputs")) {
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
    for (int i = 0; i < rows; i++) {
      if (!data.get(i).isNumber()) {
        throw new IllegalArgumentException("probability " + i + " is not a number: " + data.get(i));
      }
    }
    V2.InferResponse response;
    try {
      response = ANSWERS.treeToValue(root, V2.InferResponse.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the answer is not a V2 infer response: " + e.getMessage());
    }
    float[] p = null;
    for (V2.OutputTensor t : response.outputs()) {
      if (OUTPUT.equals(t.name())) {
        p = t.data();
      }
    }
    return new Answer(response.modelName(), response.modelVersion(), p);
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
