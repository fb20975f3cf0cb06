package dev.tidemark.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) REST records, shared by the model server (which writes
 * the responses and reads the requests, nested or flat tensor data) and the remote scorer (which
 * writes requests and reads responses): one definition of the wire format for both sides.
 *
 * <pre>
 * GET  /v2                                          ServerMetadata
 * GET  /v2/health/live | /v2/health/ready           200 or 503, {"live"|"ready": bool}
 * GET  /v2/models/{name}[/versions/{v}]             ModelMetadata
 * GET  /v2/models/{name}[/versions/{v}]/ready       200 or 503, ModelReady
 * POST /v2/models/{name}[/versions/{v}]/infer       InferResponse
 * POST /v2/repository/models/{name}/load|unload     RepositoryAction
 * </pre>
 */
public final class V2 {

  private V2() {}

  /**
   * {@code POST .../infer} request, as a client sends it (flat tensor data, JSON only).
   *
   * @param id an id the server echoes, or null
   * @param parameters request parameters, or null
   * @param inputs the input tensors
   * @param outputs the outputs wanted (null or empty: all)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferRequest(
      String id,
      Map<String, Object> parameters,
      List<RequestInput> inputs,
      List<RequestOutput> outputs) {}

  /**
   * One input tensor of a request.
   *
   * @param name tensor name
   * @param shape dimensions
   * @param datatype V2 datatype
   * @param data the elements, flat and row-major ({@code null} = missing, a Tidemark extension the
   *     server reads as NaN or a missing field)
   */
  public record RequestInput(String name, long[] shape, String datatype, List<?> data) {}

  /**
   * One output a request asks for.
   *
   * @param name output name
   */
  public record RequestOutput(String name) {}

  /** {@code GET /v2}. */
  public record ServerMetadata(String name, String version, List<String> extensions) {}

  /** {@code GET /v2/health/live}. */
  public record Live(boolean live) {}

  /** {@code GET /v2/health/ready}: the status code is the answer (200 or 503). */
  public record Ready(boolean ready) {}

  /** {@code GET /v2/models/{name}/ready}. */
  public record ModelReady(String name, boolean ready) {}

  /**
   * One input or output tensor as declared in metadata; {@code -1} marks a variable dimension.
   *
   * @param name tensor name
   * @param datatype V2 datatype ({@code FP32}, {@code INT64}, {@code BYTES}, ...)
   * @param shape dimensions, -1 for variable
   */
  public record TensorMetadata(String name, String datatype, long[] shape) {}

  /**
   * {@code GET /v2/models/{name}[/versions/{v}]}.
   *
   * @param name the model
   * @param versions the loaded versions, newest (the default) first
   * @param platform the model format, {@code xgboost_json} or {@code xgboost_ubj}
   * @param inputs the accepted inputs: either {@code features} alone or any subset of the raw trip
   *     columns
   * @param outputs the produced outputs
   */
  public record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  /**
   * One output tensor of an inference response.
   *
   * @param name output name
   * @param datatype always {@code FP32} here
   * @param shape {@code [n]}
   * @param data flat row-major data
   */
  public record OutputTensor(String name, String datatype, long[] shape, float[] data) {}

  /**
   * {@code POST .../infer} response.
   *
   * @param modelName the model that answered
   * @param modelVersion the version that answered (always present, addressed or not)
   * @param id the request's {@code id}, echoed
   * @param parameters response parameters (none today)
   * @param outputs the selected outputs
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InferResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      String id,
      Map<String, Object> parameters,
      List<OutputTensor> outputs) {}

  /**
   * {@code POST /v2/repository/models/{name}/load|unload} response.
   *
   * @param name the model
   * @param version the version now served (load) or removed (unload)
   * @param state {@code READY} or {@code UNAVAILABLE}
   */
  public record RepositoryAction(String name, String version, String state) {}

  /**
   * One entry of {@code POST /v2/repository/index}.
   *
   * @param name the model
   * @param version a loaded version
   * @param state {@code READY}
   */
  public record RepositoryEntry(String name, String version, String state) {}
}
