package dev.tidemark.serving.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidemark.core.model.Explanation;
import dev.tidemark.core.model.ModelLoadException;
import dev.tidemark.core.protocol.V1;
import dev.tidemark.core.protocol.V2;
import dev.tidemark.core.protocol.V2Trips;
import dev.tidemark.core.trip.TripColumn;
import dev.tidemark.serving.model.ModelRegistry;
import dev.tidemark.serving.model.ServedModel;
import dev.tidemark.serving.protocol.InferenceException;
import dev.tidemark.serving.protocol.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * The protocol logic of both APIs, independent of HTTP: resolves models, turns requests into
 * feature rows ({@link TaxiInputs}), submits them to the model's batcher and builds the response
 * records. Errors are {@link InferenceException}s carrying the status code.
 */
public final class InferenceService {

  /** The server name and version reported by {@code GET /v2}. */
  public static final String SERVER_NAME = "tidemark";

  public static final String SERVER_VERSION = "0.1.0";

  /** The output tensor name: the probability of a big tip. */
  public static final String OUTPUT = "probability";

  private final ModelRegistry registry;
  private final BooleanSupplier accepting;

  /**
   * A service over {@code registry}.
   *
   * @param accepting false once the server is shutting down (readiness turns 503)
   */
  public InferenceService(ModelRegistry registry, BooleanSupplier accepting) {
    this.registry = registry;
    this.accepting = accepting;
  }

  /** The registry of served models. */
  public ModelRegistry registry() {
    return registry;
  }

  // ---------------------------------------------------------------- V1

  /** {@code GET /v1/models}. */
  public V1.ModelList listModels() {
    return new V1.ModelList(registry.names());
  }

  /** {@code GET /v1/models/{name}}. */
  public V1.ModelStatus modelStatus(String name) {
    ServedModel m = model(name, null);
    return new V1.ModelStatus(m.name(), true);
  }

  /** {@code POST /v1/models/{name}:predict}. */
  public CompletableFuture<V1.PredictResponse> predictV1(
      ServedModel m, JsonNode body, boolean counted) {
    TaxiInputs.Rows rows = TaxiInputs.fromV1(body, m);
    return predict(m, false, rows, counted).thenApply(p -> new V1.PredictResponse(p.values));
  }

  /** {@code POST /v1/models/{name}:explain}: TreeSHAP contributions with feature names. */
  public CompletableFuture<V1.ExplainResponse> explainV1(
      ServedModel m, JsonNode body, boolean counted) {
    TaxiInputs.Rows rows = TaxiInputs.fromV1(body, m);
    CompletableFuture<List<Explanation>> f = m.batcher().explain(rows.flat(), rows.rows(), counted);
    ServedModel used = m;
    while (f == null) {
      used = model(m.name(), null);
      f = used.batcher().explain(rows.flat(), rows.rows(), false);
    }
    ServedModel answered = used;
    return f.handle(
        (explanations, error) -> {
          if (error != null) {
            throw inferenceFailed(error);
          }
          List<V1.Explanation> out = new ArrayList<>(explanations.size());
          for (Explanation e : explanations) {
            Map<String, Float> byName = new LinkedHashMap<>();
            for (Explanation.Contribution c : e.contributions()) {
              byName.put(c.feature(), (float) c.contribution());
            }
            out.add(
                new V1.Explanation(
                    (float) e.probability(), (float) e.margin(), (float) e.bias(), byName));
          }
          return new V1.ExplainResponse(
              answered.name(), answered.version(), answered.featureNames(), out);
        });
  }

  // ---------------------------------------------------------------- V2

  /** {@code GET /v2}. */
  public V2.ServerMetadata serverMetadata() {
    return new V2.ServerMetadata(SERVER_NAME, SERVER_VERSION, List.of("model_repository"));
  }

  /** Whether the server is ready: first repository scan done and not shutting down. */
  public boolean ready() {
    return accepting.getAsBoolean() && registry.initialScanDone();
  }

  /** {@code GET /v2/models/{name}[/versions/{v}]}. */
  public V2.ModelMetadata metadata(String name, String version) {
    ServedModel m = model(name, version);
    List<V2.TensorMetadata> inputs = new ArrayList<>();
    inputs.add(
        new V2.TensorMetadata(TaxiInputs.FEATURES_INPUT, "FP32", new long[] {-1, m.width()}));
    for (TripColumn column : V2Trips.inputs()) {
      inputs.add(new V2.TensorMetadata(column.column(), V2Trips.datatype(column), new long[] {-1}));
    }
    List<String> versions = version == null ? registry.versions(name) : List.of(m.version());
    return new V2.ModelMetadata(
        m.name(),
        versions,
        m.platform(),
        inputs,
        List.of(new V2.TensorMetadata(OUTPUT, "FP32", new long[] {-1})));
  }

  /** {@code GET /v2/models/{name}[/versions/{v}]/ready}. */
  public V2.ModelReady modelReady(String name, String version) {
    ServedModel m = model(name, version);
    return new V2.ModelReady(m.name(), true);
  }

  /** {@code POST /v2/models/{name}[/versions/{v}]/infer}. */
  public CompletableFuture<V2.InferResponse> inferV2(
      ServedModel m, boolean versionAddressed, JsonNode body, boolean counted) {
    V2Request request = V2Request.parse(body);
    for (String out : request.outputs()) {
      if (!out.equals(OUTPUT)) {
        throw InferenceException.invalid(
            "unknown output '" + out + "': model " + m.name() + " has '" + OUTPUT + "'");
      }
    }
    TaxiInputs.Rows rows = TaxiInputs.fromV2(request.inputs(), m);
    return predict(m, versionAddressed, rows, counted)
        .thenApply(
            p ->
                new V2.InferResponse(
                    p.model.name(),
                    // Always the version that answered, addressed or not: a client of the
                    // default version (a streaming scorer) cannot know otherwise which one it got
                    // across a hot swap. The protocol makes the field optional, not conditional.
                    p.model.version(),
                    request.id(),
                    null,
                    List.of(
                        new V2.OutputTensor(
                            OUTPUT, "FP32", new long[] {p.values.length}, p.values))));
  }

  /** {@code POST /v2/repository/models/{name}/load}; blocking (reads the repository). */
  public V2.RepositoryAction load(String name, JsonNode body) {
    Names.check("model", name);
    String version = null;
    if (body != null && body.has("parameters")) {
      JsonNode v = body.get("parameters").get("version");
      if (v != null && !v.isNull()) {
        version = Names.check("version", v.asText());
      }
    }
    try {
      ServedModel m = registry.load(name, version);
      return new V2.RepositoryAction(m.name(), m.version(), "READY");
    } catch (ModelLoadException e) {
      if (e.notFound()) {
        throw InferenceException.notFound(e.getMessage());
      }
      throw new InferenceException(InferenceException.INFERENCE_ERROR, e.getMessage());
    }
  }

  /** {@code POST /v2/repository/models/{name}/unload}. */
  public V2.RepositoryAction unload(String name) {
    Names.check("model", name);
    List<String> versions = registry.unload(name);
    if (versions.isEmpty()) {
      throw InferenceException.notFound("model '" + name + "' is not served");
    }
    return new V2.RepositoryAction(name, versions.get(versions.size() - 1), "UNAVAILABLE");
  }

  /** {@code POST /v2/repository/index}. */
  public List<V2.RepositoryEntry> index() {
    List<V2.RepositoryEntry> out = new ArrayList<>();
    for (String name : registry.names()) {
      for (String v : registry.versions(name)) {
        out.add(new V2.RepositoryEntry(name, v, "READY"));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- shared

  /**
   * The served model {@code name} (at {@code version} when given).
   *
   * @throws InferenceException 400 for an invalid name, 404 when not served
   */
  public ServedModel model(String name, String version) {
    Names.check("model", name);
    if (version != null) {
      Names.check("version", version);
    }
    return registry
        .resolve(name, version)
        .orElseThrow(
            () ->
                InferenceException.notFound(
                    version == null
                        ? "model '" + name + "' is not served (served: " + registry.names() + ")"
                        : "version '"
                            + version
                            + "' of model '"
                            + name
                            + "' is not loaded (loaded: "
                            + registry.versions(name)
                            + ")"));
  }

  private record Scored(ServedModel model, float[] values) {}

  private CompletableFuture<Scored> predict(
      ServedModel m, boolean pinned, TaxiInputs.Rows rows, boolean counted) {
    ServedModel target = m;
    CompletableFuture<float[]> f = target.batcher().predict(rows.flat(), rows.rows(), counted);
    while (f == null) {
      // The model was replaced or unloaded after this request resolved it: use what serves now.
      target = model(m.name(), pinned ? m.version() : null);
      f = target.batcher().predict(rows.flat(), rows.rows(), false);
    }
    ServedModel used = target;
    return f.handle(
        (p, error) -> {
          if (error != null) {
            throw inferenceFailed(error);
          }
          return new Scored(used, p);
        });
  }

  private static InferenceException inferenceFailed(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return new InferenceException(
        InferenceException.INFERENCE_ERROR, "inference failed: " + cause.getMessage());
  }
}
