package dev.tidemark.serving.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidemark.serving.protocol.InferenceException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Open Inference Protocol V2 infer request: {@code id}, {@code parameters}, {@code inputs}
 * (each with {@code name}, {@code shape}, {@code datatype}, and {@code data} nested or flat,
 * checked against the shape) and the {@code outputs} selection.
 *
 * @param id the request id to echo, or null
 * @param inputs the input tensors
 * @param outputs the requested output names, empty for all
 */
public record V2Request(String id, List<Input> inputs, List<String> outputs) {

  /** Datatypes of the protocol that this server reads (numbers and BYTES as JSON strings). */
  static final List<String> NUMERIC =
      List.of(
          "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

  /**
   * One input tensor with its data flattened row-major.
   *
   * @param name tensor name
   * @param shape dimensions
   * @param datatype V2 datatype
   * @param data the elements, row-major, exactly product(shape) of them
   */
  public record Input(String name, long[] shape, String datatype, List<JsonNode> data) {}

  /** Reads and checks a request body. */
  public static V2Request parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw InferenceException.invalid("the request body must be a JSON object with 'inputs'");
    }
    JsonNode id = body.get("id");
    if (id != null && !id.isNull() && !id.isTextual()) {
      throw InferenceException.invalid("'id' must be a string");
    }
    JsonNode params = body.get("parameters");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw InferenceException.invalid("'parameters' must be a JSON object");
    }
    if (params != null && params.path("binary_data_output").asBoolean(false)) {
      throw InferenceException.unsupported("the binary tensor data extension is not supported");
    }
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw InferenceException.invalid("'inputs' must be a non-empty array of tensors");
    }
    List<Input> parsed = new ArrayList<>();
    for (JsonNode in : inputs) {
      parsed.add(input(in));
    }
    List<String> outputs = new ArrayList<>();
    JsonNode out = body.get("outputs");
    if (out != null && !out.isNull()) {
      if (!out.isArray()) {
        throw InferenceException.invalid("'outputs' must be an array of {\"name\": ...}");
      }
      for (JsonNode o : out) {
        JsonNode name = o.get("name");
        if (name == null || !name.isTextual()) {
          throw InferenceException.invalid("every requested output needs a 'name'");
        }
        if (o.path("parameters").path("binary_data").asBoolean(false)) {
          throw InferenceException.unsupported(
              "the binary tensor data extension is not supported (output '" + name.asText() + "')");
        }
        outputs.add(name.asText());
      }
    }
    return new V2Request(id == null || id.isNull() ? null : id.asText(), parsed, outputs);
  }

  private static Input input(JsonNode in) {
    if (!in.isObject()) {
      throw InferenceException.invalid("every input must be a JSON object");
    }
    String name = in.path("name").asText(null);
    if (name == null || name.isEmpty()) {
      throw InferenceException.invalid("every input needs a 'name'");
    }
    String datatype = in.path("datatype").asText(null);
    if (datatype == null) {
      throw InferenceException.invalid("input '" + name + "' needs a 'datatype'");
    }
    if (List.of("FP16", "BF16").contains(datatype)) {
      throw InferenceException.unsupported(
          "input '" + name + "': datatype " + datatype + " is not supported; send FP32");
    }
    if (!NUMERIC.contains(datatype) && !datatype.equals("BOOL") && !datatype.equals("BYTES")) {
      throw InferenceException.invalid("input '" + name + "': unknown datatype " + datatype);
    }
    if (in.path("parameters").has("binary_data_size")) {
      throw InferenceException.unsupported("the binary tensor data extension is not supported");
    }
    JsonNode shapeNode = in.get("shape");
    if (shapeNode == null || !shapeNode.isArray() || shapeNode.isEmpty()) {
      throw InferenceException.invalid("input '" + name + "' needs a non-empty 'shape'");
    }
    long[] shape = new long[shapeNode.size()];
    long total = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw InferenceException.invalid(
            "input '" + name + "': shape must hold non-negative integers, got " + shapeNode);
      }
      shape[i] = d.asLong();
      total = Math.multiplyExact(total, shape[i]);
    }
    JsonNode data = in.get("data");
    if (data == null || !data.isArray()) {
      throw InferenceException.invalid("input '" + name + "' needs 'data' as a JSON array");
    }
    List<JsonNode> flat = new ArrayList<>((int) Math.min(total, 1 << 20));
    if (containsArrays(data)) {
      flattenNested(name, data, shape, 0, flat);
    } else {
      data.forEach(flat::add);
    }
    if (flat.size() != total) {
      throw InferenceException.invalid(
          "input '"
              + name
              + "': shape "
              + java.util.Arrays.toString(shape)
              + " needs "
              + total
              + " elements, data has "
              + flat.size());
    }
    return new Input(name, shape, datatype, flat);
  }

  private static boolean containsArrays(JsonNode data) {
    return data.size() > 0 && data.get(0).isArray();
  }

  private static void flattenNested(
      String name, JsonNode node, long[] shape, int dim, List<JsonNode> out) {
    if (dim >= shape.length || !node.isArray() || node.size() != shape[dim]) {
      throw InferenceException.invalid(
          "input '"
              + name
              + "': nested data does not match shape "
              + java.util.Arrays.toString(shape)
              + " at dimension "
              + dim);
    }
    for (JsonNode child : node) {
      if (dim == shape.length - 1) {
        if (child.isArray() || child.isObject()) {
          throw InferenceException.invalid(
              "input '" + name + "': nested data is deeper than its shape");
        }
        out.add(child);
      } else {
        flattenNested(name, child, shape, dim + 1, out);
      }
    }
  }
}
