package dev.tidemark.serving;

import dev.tidemark.core.store.ModelStore;
import dev.tidemark.serving.model.ModelRegistry;
import dev.tidemark.serving.service.HttpApi;
import dev.tidemark.serving.service.InferenceService;
import dev.tidemark.serving.service.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running model server: repository, registry with hot reload, HTTP API and metrics, wired from
 * one {@link ServerConfig}. No global state: tests start several side by side. {@link #close()} is
 * the graceful shutdown: refuse new requests, let in-flight ones finish (up to the grace period),
 * then stop.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(ServerConfig.defaults("s3://models"))) {
 *   System.out.println(server.url());   // http://127.0.0.1:8080
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  private final ServerConfig config;
  private final Vertx vertx;
  private final ModelRegistry registry;
  private final ServerMetrics metrics;
  private final HttpApi api;
  private final int port;
  private final java.util.concurrent.CountDownLatch stopped =
      new java.util.concurrent.CountDownLatch(1);
  private boolean closed;

  private ModelServer(
      ServerConfig config,
      Vertx vertx,
      ModelRegistry registry,
      ServerMetrics metrics,
      HttpApi api,
      int port) {
    this.config = config;
    this.vertx = vertx;
    this.registry = registry;
    this.metrics = metrics;
    this.api = api;
    this.port = port;
  }

  /** Loads the repository's models, then listens. */
  public static ModelServer start(ServerConfig config) throws Exception {
    ServerMetrics metrics = new ServerMetrics();
    ModelStore repository = ModelStore.open(config.repository(), config.s3());
    ModelRegistry registry =
        new ModelRegistry(
            repository, config.batch(), metrics, config.keepVersions(), config.evaluator());
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(config.eventLoops())
                .setWorkerPoolSize(2)
                .setPreferNativeTransport(false));
    HttpApi[] holder = new HttpApi[1];
    InferenceService service = new InferenceService(registry, () -> !holder[0].draining());
    HttpApi api =
        new HttpApi(
            vertx,
            service,
            metrics,
            new HttpApi.Limits(
                config.maxBodyBytes(), config.requestTimeout(), config.bearerToken()));
    holder[0] = api;
    try {
      registry.startPolling(config.pollInterval());
      int port = api.listen(config.host(), config.port(), config.eventLoops());
      LOG.info(
          "model server on http://{}:{} serving {} from {}",
          config.host(),
          port,
          registry.names(),
          repository.location());
      return new ModelServer(config, vertx, registry, metrics, api, port);
    } catch (Exception e) {
      vertx.close();
      registry.close();
      repository.close();
      throw e;
    }
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return "http://" + config.host() + ":" + port;
  }

  /** The served models. */
  public ModelRegistry registry() {
    return registry;
  }

  /** The metrics. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** Blocks until {@link #close()} finished (for {@code Main}). */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Graceful shutdown: drain, wait for in-flight requests (up to the grace period), stop. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    api.startDraining();
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (metrics.inFlight() > 0) {
      LOG.warn("shutting down with {} requests still in flight", metrics.inFlight());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      try {
        registry.close();
      } finally {
        registry.repository().close();
        stopped.countDown();
        LOG.info("model server on port {} stopped", port);
      }
    }
  }
}
