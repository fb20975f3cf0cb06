package dev.tidemark.serving.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP ceiling for the server benchmark ({@code serving/bench/evaluators.sh}): a bare Vert.x
 * server, the model server's Vert.x version and HTTP options, one server per event loop as the
 * model server deploys them, that reads each request's body and answers a constant V1 JSON. No
 * routing, parsing, features, model or metrics: what is left is the cost of HTTP itself.
 *
 * <pre>
 * java -cp ... dev.tidemark.serving.bench.BareHttpServer PORT [EVENT_LOOPS]
 * </pre>
 *
 * Event loops default to the model server's default (half the cores, at least one). Prints its URL
 * on stdout once listening.
 */
public final class BareHttpServer {

  private static final Buffer ANSWER = Buffer.buffer("{\"predictions\":[0.632905]}");

  private BareHttpServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int loops =
        args.length > 1
            ? Integer.parseInt(args[1])
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
    vertx
        .deployVerticle(() -> new Constant(port), new DeploymentOptions().setInstances(loops))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.out.println("http://127.0.0.1:" + port);
    System.out.flush();
  }

  /** One server on one event loop answering every request, once its body is in, with ANSWER. */
  private static final class Constant extends AbstractVerticle {
    private final int port;

    Constant(int port) {
      this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
      vertx
          .createHttpServer(
              new HttpServerOptions()
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setTcpNoDelay(true)
                  .setCompressionSupported(false)
                  .setDecompressionSupported(false))
          .requestHandler(
              req ->
                  req.body()
                      .onSuccess(
                          body ->
                              req.response()
                                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                  .end(ANSWER))
                      .onFailure(e -> req.response().setStatusCode(400).end()))
          .listen()
          .onSuccess(s -> started.complete())
          .onFailure(started::fail);
    }
  }
}
