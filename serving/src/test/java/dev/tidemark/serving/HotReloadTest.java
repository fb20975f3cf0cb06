package dev.tidemark.serving;

import static dev.tidemark.serving.TaxiTipsModels.FIRST;
import static dev.tidemark.serving.TaxiTipsModels.LOOP_CREDIT_CARD_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.MODEL;
import static dev.tidemark.serving.TaxiTipsModels.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.tidemark.core.store.S3Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Hot reload under load: while clients keep predicting, new versions appear in the repository (the
 * poller swaps them in), a broken one is refused while the previous keeps serving, and an explicit
 * load switches back; not one request fails.
 */
public class HotReloadTest {

  static final String V1 = "20261127T090000Z";
  static final String V2 = "20261127T100000Z";
  static final String V3_BROKEN = "20261127T110000Z";
  static final String V4 = "20261127T120000Z";
  static final Duration WAIT = Duration.ofSeconds(30);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Swaps by polling and by load calls under load lose no request; a broken version is refused. */
  @Test
  public void newVersionsSwapInUnderLoadWithoutAFailedRequest() throws Exception {
    String repo = tmp.newFolder("models").toURI().toString();
    S3Settings s3 = S3Settings.fromEnv(Map.of());
    TaxiTipsModels.publish(repo, s3, MODEL, V1, FIRST);
    ServerConfig config =
        ServerConfig.defaults(repo)
            .withS3(s3)
            .withPort(0)
            .withEventLoops(2)
            .withPollInterval(Duration.ofMillis(100));
    try (ModelServer server = ModelServer.start(config)) {
      Http http = new Http(server.url());
      Map<String, Object> request = Map.of("instances", List.of(LOOP_CREDIT_CARD_TRIP));
      float first = FIRST.score(LOOP_CREDIT_CARD_TRIP);
      float second = SECOND.score(LOOP_CREDIT_CARD_TRIP);
      assertNotEquals(first, second, 1e-6);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong ok = new AtomicLong();
      Map<String, Long> failures = new ConcurrentHashMap<>();
      Map<Float, Long> answers = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> running =
          java.util.stream.IntStream.range(0, 4)
              .<Future<?>>mapToObj(
                  i ->
                      clients.submit(
                          () -> {
                            Http c = new Http(server.url());
                            long deadline = System.nanoTime() + WAIT.multipliedBy(3).toNanos();
                            while (!stop.get() && System.nanoTime() < deadline) {
                              try {
                                Http.Response r = c.post("/v1/models/taxi-tips:predict", request);
                                if (r.status() == 200) {
                                  ok.incrementAndGet();
                                  answers.merge(
                                      r.json().get("predictions").get(0).floatValue(),
                                      1L,
                                      Long::sum);
                                } else {
                                  failures.merge(r.status() + " " + r.text(), 1L, Long::sum);
                                }
                              } catch (Exception e) {
                                failures.merge(e.toString(), 1L, Long::sum);
                              }
                            }
                            return null;
                          }))
              .toList();

      awaitCondition("first answers", () -> ok.get() > 20);

      // A new version appears: the poller swaps it in.
      TaxiTipsModels.publish(repo, s3, MODEL, V2, SECOND);
      awaitCondition("version 2 serving", () -> defaultVersion(http).equals(V2));
      long beforeBroken = ok.get();
      awaitCondition("answers from version 2", () -> answers.containsKey(second));

      // A broken version appears: refused, version 2 keeps serving.
      TaxiTipsModels.publishBroken(repo, s3, MODEL, V3_BROKEN);
      awaitCondition(
          "broken version refused",
          () ->
              metrics(http)
                  .contains(
                      "tidemark_model_loads_total{model=\"taxi-tips\",result=\"refused\"} 1"));
      awaitCondition("more answers after the refusal", () -> ok.get() > beforeBroken + 20);
      assertEquals(V2, defaultVersion(http));

      // A good version after the broken one: swapped in, and version 1 leaves memory.
      TaxiTipsModels.publish(repo, s3, MODEL, V4, FIRST);
      awaitCondition("version 4 serving", () -> defaultVersion(http).equals(V4));
      assertEquals(
          "{\"error\":\"version '"
              + V1
              + "' of model 'taxi-tips' is not loaded (loaded: ["
              + V4
              + ", "
              + V2
              + "])\"}",
          http.get("/v2/models/taxi-tips/versions/" + V1).text());

      // An explicit load switches the default back to version 2, still under load.
      Http.Response load =
          http.post(
              "/v2/repository/models/taxi-tips/load", Map.of("parameters", Map.of("version", V2)));
      assertEquals(load.text(), 200, load.status());
      assertEquals(V2, defaultVersion(http));
      long afterLoad = ok.get();
      awaitCondition("answers after the load call", () -> ok.get() > afterLoad + 20);

      stop.set(true);
      for (Future<?> f : running) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      clients.shutdown();
      assertEquals("failed requests: " + failures, Map.of(), failures);
      assertThat(ok.get(), greaterThan(100L));
      assertEquals("polling does not override the load call", V2, defaultVersion(http));
      assertTrue(answers.containsKey(first) && answers.containsKey(second));
      assertEquals("only the two models' answers: " + answers, 2, answers.size());
      assertThat(
          metrics(http),
          containsString("tidemark_model_loads_total{model=\"taxi-tips\",result=\"ok\"} 3"));
    }
  }

  private static String defaultVersion(Http http) {
    try {
      return http.get("/v2/models/taxi-tips").json().get("versions").get(0).asText();
    } catch (Exception e) {
      return "";
    }
  }

  private static String metrics(Http http) {
    try {
      return http.get("/metrics").text();
    } catch (Exception e) {
      return "";
    }
  }

  static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
