package dev.tidemark.serving.service;

import dev.tidemark.serving.protocol.InferenceException;
import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One parsed request path: which endpoint, for which model and version. Path segments are
 * percent-decoded before anything else looks at them, so {@code %2F} or {@code ..} in a model name
 * is caught by name validation (400), never passed to storage.
 *
 * @param endpoint the endpoint (also the {@code endpoint} metrics label)
 * @param model the model name from the path, or null
 * @param version the version from the path, or null
 */
public record Route(Endpoint endpoint, String model, String version) {

  /** The endpoints of both protocols, plus metrics. */
  public enum Endpoint {
    V1_LIST("v1_list", HttpMethod.GET),
    V1_STATUS("v1_status", HttpMethod.GET),
    V1_PREDICT("v1_predict", HttpMethod.POST),
    V1_EXPLAIN("v1_explain", HttpMethod.POST),
    V2_SERVER("v2_server", HttpMethod.GET),
    V2_LIVE("v2_live", HttpMethod.GET),
    V2_READY("v2_ready", HttpMethod.GET),
    V2_METADATA("v2_metadata", HttpMethod.GET),
    V2_MODEL_READY("v2_model_ready", HttpMethod.GET),
    V2_INFER("v2_infer", HttpMethod.POST),
    V2_LOAD("v2_load", HttpMethod.POST),
    V2_UNLOAD("v2_unload", HttpMethod.POST),
    V2_INDEX("v2_index", HttpMethod.POST),
    METRICS("metrics", HttpMethod.GET);

    private final String label;
    private final HttpMethod method;

    Endpoint(String label, HttpMethod method) {
      this.label = label;
      this.method = method;
    }

    /** The metrics label. */
    public String label() {
      return label;
    }

    /** The method the endpoint takes. */
    public HttpMethod method() {
      return method;
    }

    /** Whether the endpoint is open without a bearer token (health and metrics). */
    public boolean open() {
      return this == V2_LIVE || this == V2_READY || this == METRICS;
    }

    /** Whether it scores through a model's batcher. */
    public boolean scores() {
      return this == V1_PREDICT || this == V1_EXPLAIN || this == V2_INFER;
    }
  }

  /**
   * Parses {@code path} (without the query).
   *
   * @throws InferenceException 404 for an unknown path, 405 for a wrong method
   */
  public static Route parse(HttpMethod method, String path) {
    Route r;
    try {
      r = match(path);
    } catch (IllegalArgumentException e) {
      throw InferenceException.invalid("malformed percent-encoding in " + path);
    }
    if (r == null) {
      throw InferenceException.notFound("no endpoint " + method + " " + path);
    }
    if (r.endpoint == Endpoint.V2_INDEX && method == HttpMethod.GET) {
      return r;
    }
    if (!r.endpoint.method().equals(method)) {
      throw new InferenceException(
          InferenceException.METHOD_NOT_ALLOWED,
          path + " takes " + r.endpoint.method() + ", not " + method);
    }
    return r;
  }

  private static Route match(String path) {
    if (path == null || !path.startsWith("/")) {
      return null;
    }
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String[] s = p.substring(1).split("/", -1);
    for (int i = 0; i < s.length; i++) {
      s[i] = URLDecoder.decode(s[i], StandardCharsets.UTF_8);
    }
    int n = s.length;
    if (n == 1 && s[0].equals("metrics")) {
      return new Route(Endpoint.METRICS, null, null);
    }
    if (s[0].equals("v1")) {
      if (n == 2 && s[1].equals("models")) {
        return new Route(Endpoint.V1_LIST, null, null);
      }
      if (n == 3 && s[1].equals("models")) {
        String x = s[2];
        int colon = x.lastIndexOf(':');
        if (colon < 0) {
          return new Route(Endpoint.V1_STATUS, x, null);
        }
        String verb = x.substring(colon + 1);
        String name = x.substring(0, colon);
        return switch (verb) {
          case "predict" -> new Route(Endpoint.V1_PREDICT, name, null);
          case "explain" -> new Route(Endpoint.V1_EXPLAIN, name, null);
          default -> null;
        };
      }
      return null;
    }
    if (!s[0].equals("v2")) {
      return null;
    }
    if (n == 1) {
      return new Route(Endpoint.V2_SERVER, null, null);
    }
    if (n == 3 && s[1].equals("health")) {
      return switch (s[2]) {
        case "live" -> new Route(Endpoint.V2_LIVE, null, null);
        case "ready" -> new Route(Endpoint.V2_READY, null, null);
        default -> null;
      };
    }
    if (s[1].equals("repository")) {
      if (n == 3 && s[2].equals("index")) {
        return new Route(Endpoint.V2_INDEX, null, null);
      }
      if (n == 5 && s[2].equals("models")) {
        return switch (s[4]) {
          case "load" -> new Route(Endpoint.V2_LOAD, s[3], null);
          case "unload" -> new Route(Endpoint.V2_UNLOAD, s[3], null);
          default -> null;
        };
      }
      return null;
    }
    if (s[1].equals("models") && n >= 3) {
      String name = s[2];
      int rest = 3;
      String version = null;
      if (n >= 5 && s[3].equals("versions")) {
        version = s[4];
        rest = 5;
      }
      if (n == rest) {
        return new Route(Endpoint.V2_METADATA, name, version);
      }
      if (n == rest + 1) {
        return switch (s[rest]) {
          case "ready" -> new Route(Endpoint.V2_MODEL_READY, name, version);
          case "infer" -> new Route(Endpoint.V2_INFER, name, version);
          default -> null;
        };
      }
    }
    return null;
  }
}
