package dev.tidemark.serving.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.protocol.ErrorBody;
import dev.tidemark.core.protocol.V2;
import dev.tidemark.serving.model.ServedModel;
import dev.tidemark.serving.protocol.InferenceException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front end on Vert.x core: one server per event loop on the same port, routing by {@link
 * Route}, then limits and safety before any model work:
 *
 * <ul>
 *   <li>optional bearer token ({@code Authorization: Bearer <token>}; health and metrics stay
 *       open), 401 otherwise;
 *   <li>body size limit: 413 from {@code Content-Length} before reading, or as soon as a chunked
 *       body passes the limit (the connection is then closed);
 *   <li>request timeout: 503 when no answer is ready in time;
 *   <li>draining for graceful shutdown: new requests get 503 ({@code Connection: close}) while
 *       in-flight ones finish.
 * </ul>
 *
 * Responses are JSON; errors are {@code {"error": "..."}} with the status from {@link
 * InferenceException}; anything unexpected is a 500.
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  /**
   * Limits and safety settings.
   *
   * @param maxBodyBytes largest accepted request body
   * @param requestTimeout longest time to answer a request
   * @param bearerToken the token clients must send, or null for none
   */
  public record Limits(long maxBodyBytes, Duration requestTimeout, String bearerToken) {}

  private final Vertx vertx;
  private final InferenceService service;
  private final ServerMetrics metrics;
  private final Limits limits;
  private final byte[] tokenBytes;
  private volatile boolean draining;
  private volatile int port = -1;

  public HttpApi(Vertx vertx, InferenceService service, ServerMetrics metrics, Limits limits) {
    this.vertx = vertx;
    this.service = service;
    this.metrics = metrics;
    this.limits = limits;
    this.tokenBytes =
        limits.bearerToken() == null
            ? null
            : ("Bearer " + limits.bearerToken()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Listens on {@code host:port} ({@code port} 0: a free one) with {@code servers} event-loop
   * servers; returns the bound port.
   */
  public int listen(String host, int requestedPort, int servers) throws Exception {
    // Servers of one Vert.x instance share a listening socket only when bound to the same
    // host:port, so port 0 is resolved to a free port first.
    port = requestedPort != 0 ? requestedPort : freePort(host);
    vertx
        .deployVerticle(
            () -> new ServerVerticle(host, port), new DeploymentOptions().setInstances(servers))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    return port;
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  /** Refuse new requests from now on (graceful shutdown). */
  public void startDraining() {
    draining = true;
  }

  /** Whether the server is draining. */
  public boolean draining() {
    return draining;
  }

  /** One server bound to one event loop. */
  private final class ServerVerticle extends AbstractVerticle {
    private final String host;
    private final int bindPort;

    ServerVerticle(String host, int bindPort) {
      this.host = host;
      this.bindPort = bindPort;
    }

    @Override
    public void start(Promise<Void> started) {
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost(host)
              .setPort(bindPort)
              .setTcpNoDelay(true)
              .setCompressionSupported(false)
              .setDecompressionSupported(false);
      HttpServer server = vertx.createHttpServer(options).requestHandler(HttpApi.this::handle);
      server.listen().onSuccess(s -> started.complete()).onFailure(started::fail);
    }
  }

  private void handle(HttpServerRequest req) {
    Exchange x = new Exchange(req, Vertx.currentContext());
    metrics.started();
    if (draining) {
      x.closeAfter = true;
      x.fail(InferenceException.notReady("the server is shutting down"));
      return;
    }
    Route route;
    try {
      route = Route.parse(req.method(), req.path());
    } catch (InferenceException e) {
      x.fail(e);
      return;
    }
    x.route = route;
    if (tokenBytes != null && !route.endpoint().open() && !authorized(req)) {
      x.response().putHeader("WWW-Authenticate", "Bearer");
      x.fail(
          new InferenceException(
              InferenceException.UNAUTHORIZED,
              "missing or wrong bearer token (send Authorization: Bearer <token>)"));
      return;
    }
    x.timer =
        vertx.setTimer(
            Math.max(1, limits.requestTimeout().toMillis()),
            id ->
                x.fail(
                    InferenceException.notReady(
                        "no answer within the request timeout of "
                            + limits.requestTimeout().toMillis()
                            + " ms")));
    if (route.endpoint().scores() && route.model() != null) {
      // Tell the model's batcher a request is arriving, so a batch in formation waits for it.
      service
          .registry()
          .resolve(route.model(), route.version())
          .ifPresent(
              m -> {
                m.batcher().arriving().incrementAndGet();
                x.counted = m;
              });
    }
    if (req.method() != HttpMethod.POST) {
      dispatch(x, null);
      return;
    }
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        x.fail(InferenceException.invalid("Content-Length is not a number"));
        return;
      }
      if (declared > limits.maxBodyBytes()) {
        x.closeAfter = true;
        x.fail(tooLarge());
        return;
      }
    }
    Buffer body = Buffer.buffer(length == null ? 1024 : (int) Long.parseLong(length.strip()));
    req.handler(
        chunk -> {
          if (x.done.get()) {
            return;
          }
          if ((long) body.length() + chunk.length() > limits.maxBodyBytes()) {
            x.closeAfter = true;
            x.fail(tooLarge());
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(e -> x.fail(InferenceException.invalid("broken request: " + e)));
    req.endHandler(
        v -> {
          if (!x.done.get()) {
            dispatch(x, body);
          }
        });
  }

  private InferenceException tooLarge() {
    return new InferenceException(
        InferenceException.TOO_LARGE,
        "the request body is larger than the limit of " + limits.maxBodyBytes() + " bytes");
  }

  private boolean authorized(HttpServerRequest req) {
    String h = req.getHeader(HttpHeaders.AUTHORIZATION);
    return h != null && MessageDigest.isEqual(tokenBytes, h.getBytes(StandardCharsets.UTF_8));
  }

  private void dispatch(Exchange x, Buffer body) {
    Route r = x.route;
    try {
      switch (r.endpoint()) {
        case V1_LIST -> x.ok(service.listModels());
        case V1_STATUS -> x.ok(service.modelStatus(r.model()));
        case V1_PREDICT, V1_EXPLAIN, V2_INFER -> score(x, json(body));
        case V2_SERVER -> x.ok(service.serverMetadata());
        case V2_LIVE -> x.ok(new V2.Live(true));
        case V2_READY -> {
          boolean ready = service.ready();
          x.reply(ready ? 200 : 503, new V2.Ready(ready));
        }
        case V2_METADATA -> x.ok(service.metadata(r.model(), r.version()));
        case V2_MODEL_READY -> x.ok(service.modelReady(r.model(), r.version()));
        case V2_LOAD -> {
          JsonNode parsed = body == null || body.length() == 0 ? null : json(body);
          blocking(x, () -> service.load(r.model(), parsed));
        }
        case V2_UNLOAD -> blocking(x, () -> service.unload(r.model()));
        case V2_INDEX -> x.ok(service.index());
        case METRICS -> x.text(metrics.render());
      }
    } catch (RuntimeException e) {
      x.abandonArrival();
      x.fail(e);
    }
  }

  private void score(Exchange x, JsonNode body) {
    Route r = x.route;
    ServedModel m = service.model(r.model(), r.version());
    boolean taken = x.takeArrival(m);
    try {
      switch (r.endpoint()) {
        case V1_PREDICT -> x.later(service.predictV1(m, body, taken));
        case V1_EXPLAIN -> x.later(service.explainV1(m, body, taken));
        default -> x.later(service.inferV2(m, r.version() != null, body, taken));
      }
    } catch (RuntimeException e) {
      if (taken) {
        // Rejected before reaching the batcher: it must stop waiting for this request.
        m.batcher().arrivalAbandoned();
      }
      throw e;
    }
  }

  private void blocking(Exchange x, java.util.function.Supplier<Object> work) {
    vertx
        .executeBlocking(work::get, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                x.ok(ar.result());
              } else {
                x.fail(ar.cause());
              }
            });
  }

  private static JsonNode json(Buffer body) {
    if (body == null || body.length() == 0) {
      throw InferenceException.invalid("the request body is empty; send JSON");
    }
    try {
      return JSON.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      throw InferenceException.invalid(
          "the request body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** One request and its single response. */
  private final class Exchange {
    final HttpServerRequest req;
    final Context context;
    final long start = System.nanoTime();
    final AtomicBoolean done = new AtomicBoolean();
    final AtomicInteger arrivalOpen = new AtomicInteger(1);
    Route route;
    ServedModel counted;
    long timer = -1;
    boolean closeAfter;

    Exchange(HttpServerRequest req, Context context) {
      this.req = req;
      this.context = context;
      req.response()
          .closeHandler(
              v -> {
                if (done.compareAndSet(false, true)) {
                  finish(499);
                }
              });
    }

    HttpServerResponse response() {
      return req.response();
    }

    /**
     * Hands this request's arrival count to {@code m}'s batcher (true: the submit will decrement
     * it); when the request was counted on another model (swapped since), that count is dropped.
     */
    boolean takeArrival(ServedModel m) {
      if (counted == m && arrivalOpen.compareAndSet(1, 0)) {
        return true;
      }
      abandonArrival();
      return false;
    }

    void abandonArrival() {
      if (counted != null && arrivalOpen.compareAndSet(1, 0)) {
        counted.batcher().arrivalAbandoned();
      }
    }

    void ok(Object body) {
      reply(200, body);
    }

    <T> void later(CompletableFuture<T> f) {
      if (f.isDone() && Vertx.currentContext() == context) {
        // Scored in this thread (the compiled evaluator): answer now, not in a later task.
        try {
          ok(f.join());
        } catch (RuntimeException e) {
          fail(e);
        }
        return;
      }
      f.whenComplete(
          (value, error) ->
              context.runOnContext(
                  v -> {
                    if (error != null) {
                      fail(error);
                    } else {
                      ok(value);
                    }
                  }));
    }

    void fail(Throwable error) {
      Throwable e = error;
      while (e instanceof CompletionException && e.getCause() != null) {
        e = e.getCause();
      }
      if (e instanceof InferenceException ie) {
        reply(ie.status(), new ErrorBody(ie.getMessage()));
      } else {
        LOG.error("internal error on {} {}", req.method(), req.path(), e);
        reply(500, new ErrorBody("internal error: " + e));
      }
    }

    void reply(int status, Object body) {
      byte[] bytes;
      try {
        bytes = JSON.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        status = 500;
        bytes = "{\"error\":\"cannot write the response\"}".getBytes(StandardCharsets.UTF_8);
      }
      send(status, JSON_TYPE, Buffer.buffer(bytes));
    }

    void text(String body) {
      send(200, "text/plain; version=0.0.4; charset=utf-8", Buffer.buffer(body));
    }

    private void send(int status, String contentType, Buffer bytes) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      HttpServerResponse resp = req.response();
      resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
      if (closeAfter) {
        resp.putHeader(HttpHeaders.CONNECTION, "close");
      }
      resp.end(bytes)
          .onComplete(
              ar -> {
                if (closeAfter) {
                  req.connection().close();
                }
              });
      finish(status);
    }

    private void finish(int status) {
      abandonArrival();
      metrics.finished(
          route == null ? null : route.model(),
          route == null ? "unknown" : route.endpoint().label(),
          status,
          System.nanoTime() - start);
    }
  }
}
