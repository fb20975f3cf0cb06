package dev.tidemark.serving.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.serving.model.ServedModel;
import dev.tidemark.serving.protocol.InferenceException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The taxi transformer: request JSON to FP32 feature rows laid out by the model's own feature spec
 * ({@link dev.tidemark.core.features.TaxiFeatures} over {@code feature_spec.json}), so serving
 * computes the features training computed. Two forms are accepted:
 *
 * <ul>
 *   <li>raw trips: V1 instances that are JSON objects keyed by the CSV column names (any field may
 *       be missing, {@code tips} is ignored), or V2 inputs named after columns, shape {@code [n]};
 *   <li>ready feature vectors: V1 instances that are arrays of F numbers, or a single V2 input of
 *       shape {@code [n, F]} in the feature-spec order ({@code null} = missing).
 * </ul>
 */
public final class TaxiInputs {

  /** The name the metadata gives the ready feature tensor. */
  public static final String FEATURES_INPUT = "features";

  /** Rows ready for the model. */
  public record Rows(float[] flat, int rows) {}

  private TaxiInputs() {}

  /** Rows from a V1 body {@code {"instances": [...]}}. */
  public static Rows fromV1(JsonNode body, ServedModel model) {
    if (body == null || !body.isObject()) {
      throw InferenceException.invalid("the request body must be a JSON object with 'instances'");
    }
    JsonNode instances = body.get("instances");
    if (instances == null || !instances.isArray()) {
      throw InferenceException.invalid("'instances' must be a JSON array");
    }
    if (instances.isEmpty()) {
      throw InferenceException.invalid("'instances' is empty");
    }
    int width = model.width();
    int n = instances.size();
    float[] flat = new float[n * width];
    for (int i = 0; i < n; i++) {
      JsonNode instance = instances.get(i);
      if (instance.isObject()) {
        model.features().writeVector(trip(instance, i), flat, i * width);
      } else if (instance.isArray()) {
        if (instance.size() != width) {
          throw InferenceException.invalid(
              "instance "
                  + i
                  + " has "
                  + instance.size()
                  + " features, model "
                  + model.name()
                  + " expects "
                  + width);
        }
        for (int j = 0; j < width; j++) {
          flat[i * width + j] = number(instance.get(j), "instance " + i + " feature " + j);
        }
      } else {
        throw InferenceException.invalid(
            "instance " + i + " must be a trip object or an array of " + width + " features");
      }
    }
    return new Rows(flat, n);
  }

  /** Rows from V2 inputs: one {@code [n, F]} tensor or one {@code [n]} tensor per trip column. */
  public static Rows fromV2(List<V2Request.Input> inputs, ServedModel model) {
    int width = model.width();
    if (inputs.size() == 1 && inputs.get(0).shape().length == 2) {
      V2Request.Input in = inputs.get(0);
      if (in.shape()[1] != width) {
        throw InferenceException.invalid(
            "input '"
                + in.name()
                + "' has "
                + in.shape()[1]
                + " features per row, model "
                + model.name()
                + " expects "
                + width);
      }
      if (!V2Request.NUMERIC.contains(in.datatype())) {
        throw InferenceException.invalid(
            "input '" + in.name() + "' must be numeric (FP32), not " + in.datatype());
      }
      int n = (int) in.shape()[0];
      if (n == 0) {
        throw InferenceException.invalid("input '" + in.name() + "' has no rows");
      }
      float[] flat = new float[n * width];
      List<JsonNode> data = in.data();
      for (int k = 0; k < flat.length; k++) {
        flat[k] = number(data.get(k), "input '" + in.name() + "' element " + k);
      }
      return new Rows(flat, n);
    }
    long n = -1;
    for (V2Request.Input in : inputs) {
      if (!TaxiTripCsv.COLUMNS.contains(in.name())) {
        throw InferenceException.invalid(
            "unknown input '"
                + in.name()
                + "': send one input per trip column ("
                + String.join(", ", TaxiTripCsv.COLUMNS)
                + ") with shape [n], or one input '"
                + FEATURES_INPUT
                + "' with shape [n, "
                + width
                + "]");
      }
      long rows = in.shape()[0];
      boolean columnShape =
          in.shape().length == 1 || (in.shape().length == 2 && in.shape()[1] == 1);
      if (!columnShape) {
        throw InferenceException.invalid(
            "input '" + in.name() + "' must have shape [n] (one value per trip)");
      }
      if (n >= 0 && rows != n) {
        throw InferenceException.invalid(
            "inputs disagree on the number of trips: " + n + " and " + rows);
      }
      n = rows;
    }
    if (n <= 0) {
      throw InferenceException.invalid("the inputs hold no trips");
    }
    int rows = (int) n;
    float[] flat = new float[rows * width];
    Map<String, Object> trip = new HashMap<>();
    for (int i = 0; i < rows; i++) {
      trip.clear();
      for (V2Request.Input in : inputs) {
        trip.put(in.name(), scalar(in.data().get(i), "input '" + in.name() + "' element " + i));
      }
      try {
        model.features().writeVector(TaxiTripJson.fromJsonMap(trip), flat, i * width);
      } catch (MalformedTripException e) {
        throw InferenceException.invalid("trip " + i + ": " + e.getMessage());
      }
    }
    return new Rows(flat, rows);
  }

  private static TaxiTrip trip(JsonNode instance, int i) {
    Map<String, Object> m = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = instance.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      m.put(f.getKey(), scalar(f.getValue(), "instance " + i + " field '" + f.getKey() + "'"));
    }
    try {
      return TaxiTripJson.fromJsonMap(m);
    } catch (MalformedTripException e) {
      throw InferenceException.invalid("instance " + i + ": " + e.getMessage());
    }
  }

  private static Object scalar(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.numberValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    throw InferenceException.invalid(where + " must be a number, a string or null");
  }

  private static float number(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return Float.NaN;
    }
    if (v.isNumber()) {
      return v.floatValue();
    }
    throw InferenceException.invalid(where + " must be a number or null, got " + v);
  }
}
