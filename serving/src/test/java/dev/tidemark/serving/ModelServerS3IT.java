package dev.tidemark.serving;

import static dev.tidemark.serving.TaxiTipsModels.FIRST;
import static dev.tidemark.serving.TaxiTipsModels.LOOP_CREDIT_CARD_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.MODEL;
import static dev.tidemark.serving.TaxiTipsModels.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.store.S3Settings;
import dev.tidemark.testing.S3ProxyServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The server on a real S3 API (S3Proxy on loopback): models published to {@code s3://models} the
 * way training publishes them, served in-process and by {@code Main} in its own JVM on the serving
 * module's runtime classpath, which holds no Beam.
 */
public class ModelServerS3IT {

  static final String V1 = "20261127T090000Z";
  static final String V2 = "20261127T100000Z";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Models on S3 serve; a version published later is deployed by a load call. */
  @Test
  public void servesModelsFromS3AndLoadsANewVersion() throws Exception {
    try (S3ProxyServer s3proxy = S3ProxyServer.start(tmp.newFolder("s3").toPath())) {
      S3Settings s3 = S3Settings.fromEnv(s3proxy.environment());
      TaxiTipsModels.publish("s3://models", s3, MODEL, V1, FIRST);
      ServerConfig config =
          ServerConfig.defaults("s3://models")
              .withS3(s3)
              .withPort(0)
              .withEventLoops(2)
              .withPollInterval(Duration.ZERO);
      try (ModelServer server = ModelServer.start(config)) {
        Http http = new Http(server.url());
        Map<String, Object> request = Map.of("instances", List.of(LOOP_CREDIT_CARD_TRIP));
        Http.Response r = http.post("/v1/models/taxi-tips:predict", request);
        assertEquals(r.text(), 200, r.status());
        assertEquals(
            FIRST.score(LOOP_CREDIT_CARD_TRIP),
            r.json().get("predictions").get(0).floatValue(),
            1e-6);

        TaxiTipsModels.publish("s3://models", s3, MODEL, V2, SECOND);
        Http.Response load =
            http.post(
                "/v2/repository/models/taxi-tips/load",
                Map.of("parameters", Map.of("version", V2)));
        assertEquals(load.text(), 200, load.status());
        Http.Response after = http.post("/v1/models/taxi-tips:predict", request);
        assertEquals(
            SECOND.score(LOOP_CREDIT_CARD_TRIP),
            after.json().get("predictions").get(0).floatValue(),
            1e-6);
      }
    }
  }

  /** Main starts on the runtime classpath alone (no Beam jar in it) and serves from S3. */
  @Test
  public void mainServesFromS3InItsOwnJvmWithoutBeam() throws Exception {
    Path cpFile = Paths.get("target", "runtime-classpath.txt");
    String runtime = Files.readString(cpFile).strip();
    assertThat(runtime, not(containsString("org/apache/beam")));
    try (S3ProxyServer s3proxy = S3ProxyServer.start(tmp.newFolder("s3").toPath())) {
      S3Settings s3 = S3Settings.fromEnv(s3proxy.environment());
      TaxiTipsModels.publish("s3://models", s3, MODEL, V1, FIRST);
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      ProcessBuilder pb =
          new ProcessBuilder(
              Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx512m",
              "-cp",
              Paths.get("target", "classes").toAbsolutePath() + File.pathSeparator + runtime,
              "dev.tidemark.serving.Main",
              "--repository",
              "s3://models",
              "--port",
              Integer.toString(port));
      pb.environment().putAll(s3proxy.environment());
      pb.redirectErrorStream(true);
      pb.redirectOutput(tmp.newFile("server.log"));
      Process process = pb.start();
      try {
        Http http = new Http("http://127.0.0.1:" + port);
        HotReloadTest.awaitCondition(
            "the server to be ready",
            () -> {
              try {
                return http.get("/v2/health/ready").status() == 200;
              } catch (Exception e) {
                return false;
              }
            });
        Http.Response r =
            http.post(
                "/v1/models/taxi-tips:predict",
                Map.of("instances", List.of(LOOP_CREDIT_CARD_TRIP)));
        assertEquals(r.text(), 200, r.status());
        assertEquals(
            FIRST.score(LOOP_CREDIT_CARD_TRIP),
            r.json().get("predictions").get(0).floatValue(),
            1e-6);
      } finally {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      assertEquals("graceful exit on SIGTERM", 143, process.exitValue());
    }
  }
}
