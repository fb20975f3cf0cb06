package dev.tidemark.serving;

import static dev.tidemark.serving.ModelServerTest.assertError;
import static dev.tidemark.serving.TaxiTipsModels.FARE_ONLY_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.FIRST;
import static dev.tidemark.serving.TaxiTipsModels.MODEL;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.tidemark.core.store.S3Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Safety settings: bearer token, request timeout, graceful shutdown, and no Beam at run time. */
public class ServerLimitsTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private String repo;
  private final S3Settings s3 = S3Settings.fromEnv(Map.of());

  @Before
  public void publishOneModel() throws Exception {
    repo = tmp.newFolder("models").toURI().toString();
    TaxiTipsModels.publish(repo, s3, MODEL, "20261127T090000Z", FIRST);
  }

  private ServerConfig config() {
    return ServerConfig.defaults(repo)
        .withS3(s3)
        .withPort(0)
        .withEventLoops(2)
        .withPollInterval(Duration.ZERO);
  }

  private static Map<String, Object> trips(int n) {
    return Map.of("instances", Collections.nCopies(n, FARE_ONLY_TRIP));
  }

  /** With a token set, model endpoints need it (401), health and metrics stay open. */
  @Test
  public void bearerTokenGuardsModelEndpointsButNotHealth() throws Exception {
    try (ModelServer server = ModelServer.start(config().withBearerToken("s3cret"))) {
      Http anonymous = new Http(server.url());
      Http wrong = new Http(server.url(), "guess");
      Http authorized = new Http(server.url(), "s3cret");
      assertError(401, "bearer token", anonymous.post("/v1/models/taxi-tips:predict", trips(1)));
      assertError(401, "bearer token", wrong.get("/v2/models/taxi-tips"));
      assertError(401, "bearer token", anonymous.post("/v2/repository/models/x/unload", ""));
      assertEquals(200, anonymous.get("/v2/health/live").status());
      assertEquals(200, anonymous.get("/v2/health/ready").status());
      assertEquals(200, anonymous.get("/metrics").status());
      assertEquals(200, authorized.post("/v1/models/taxi-tips:predict", trips(1)).status());
    }
  }

  /** A request that cannot be answered within the timeout gets 503 with an error body. */
  @Test
  public void requestsBeyondTheTimeoutAre503() throws Exception {
    try (ModelServer server =
        ModelServer.start(
            config().withRequestTimeout(Duration.ofMillis(1)).withMaxBodyBytes(64 << 20))) {
      Http http = new Http(server.url());
      assertError(
          503,
          "no answer within the request timeout of 1 ms",
          http.post("/v1/models/taxi-tips:predict", trips(50_000)));
    }
  }

  /** Shutdown lets requests in flight finish with 200, then refuses connections. */
  @Test
  public void gracefulShutdownFinishesInFlightRequests() throws Exception {
    ModelServer server = ModelServer.start(config().withMaxBodyBytes(64 << 20));
    Http http = new Http(server.url());
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<Http.Response>> inFlight = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        inFlight.add(
            clients.submit(() -> http.post("/v1/models/taxi-tips:predict", trips(20_000))));
      }
      HotReloadTest.awaitCondition("requests in flight", () -> server.metrics().inFlight() >= 3);
      server.close();
      int completed = 0;
      for (Future<Http.Response> f : inFlight) {
        Http.Response r = f.get(60, TimeUnit.SECONDS);
        // Requests that reached the server before shutdown complete; later ones are refused
        // with 503, never cut off.
        if (r.status() != 200) {
          assertError(503, "shutting down", r);
        } else {
          assertEquals(20_000, r.json().get("predictions").size());
          completed++;
        }
      }
      assertTrue("the requests in flight at shutdown completed: " + completed, completed >= 3);
      assertThrows(java.io.IOException.class, () -> http.get("/v2/health/live"));
    } finally {
      clients.shutdownNow();
      server.close();
    }
  }

  /** The server runs without Beam: its classpath cannot even load Beam's Pipeline class. */
  @Test
  public void serverRunsWithoutBeamOnItsClasspath() throws Exception {
    try (ModelServer server = ModelServer.start(config())) {
      assertEquals(
          200, new Http(server.url()).post("/v1/models/taxi-tips:predict", trips(1)).status());
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("org.apache.beam.sdk.Pipeline", false, getClass().getClassLoader()));
    }
  }
}
