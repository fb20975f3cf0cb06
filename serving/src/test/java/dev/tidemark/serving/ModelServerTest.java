package dev.tidemark.serving;

import static dev.tidemark.serving.TaxiTipsModels.FARE_ONLY_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.FIRST;
import static dev.tidemark.serving.TaxiTipsModels.LOOP_CREDIT_CARD_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.MALFORMED_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.MODEL;
import static dev.tidemark.serving.TaxiTipsModels.OHARE_CASH_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidemark.core.store.S3Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every endpoint of both protocols, in-process over real HTTP, with two real models in a local
 * repository: {@code taxi-tips} (version {@value #V1}) and {@code tip-shadow} (version {@value
 * #SHADOW_V}).
 */
public class ModelServerTest {

  static final String V1 = "20261127T090000Z";
  static final String SHADOW = "tip-shadow";
  static final String SHADOW_V = "20261126T080000Z";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static ModelServer server;
  private static Http http;

  @BeforeClass
  public static void startServerOnTwoModels() throws Exception {
    String repo = TMP.newFolder("models").toURI().toString();
    S3Settings s3 = S3Settings.fromEnv(Map.of());
    TaxiTipsModels.publish(repo, s3, MODEL, V1, FIRST);
    TaxiTipsModels.publish(repo, s3, SHADOW, SHADOW_V, SECOND);
    server =
        ModelServer.start(
            ServerConfig.defaults(repo)
                .withS3(s3)
                .withPort(0)
                .withEventLoops(2)
                .withMaxBodyBytes(64 * 1024)
                .withPollInterval(Duration.ZERO));
    http = new Http(server.url());
  }

  @AfterClass
  public static void stopServer() throws Exception {
    server.close();
  }

  private static Map<String, Object> instances(Object... items) {
    return Map.of("instances", List.of(items));
  }

  private static float[] floats(JsonNode array) {
    float[] f = new float[array.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = array.get(i).floatValue();
    }
    return f;
  }

  // ------------------------------------------------------------------ V1

  /** GET /v1/models lists both models; GET /v1/models/{name} says ready. */
  @Test
  public void v1ListsModelsAndReportsReadiness() throws Exception {
    Http.Response list = http.get("/v1/models");
    assertEquals(200, list.status());
    assertEquals("{\"models\":[\"taxi-tips\",\"tip-shadow\"]}", list.text());
    Http.Response status = http.get("/v1/models/taxi-tips");
    assertEquals(200, status.status());
    assertEquals("{\"name\":\"taxi-tips\",\"ready\":true}", status.text());
  }

  /** Raw trips go through the model's own feature spec and score as the trainer scores them. */
  @Test
  public void v1PredictScoresRawTripsLikeTheTrainer() throws Exception {
    Http.Response r =
        http.post(
            "/v1/models/taxi-tips:predict",
            instances(LOOP_CREDIT_CARD_TRIP, OHARE_CASH_TRIP, FARE_ONLY_TRIP));
    assertEquals(r.text(), 200, r.status());
    float[] p = floats(r.json().get("predictions"));
    assertEquals(3, p.length);
    assertEquals(FIRST.score(LOOP_CREDIT_CARD_TRIP), p[0], 1e-6);
    assertEquals(FIRST.score(OHARE_CASH_TRIP), p[1], 1e-6);
    assertEquals(FIRST.score(FARE_ONLY_TRIP), p[2], 1e-6);
    // A credit-card trip tips far more often than a cash one (cash tips are not recorded).
    assertTrue(p[0] > 0.5f && p[1] < 0.5f);
  }

  /** A ready feature vector in spec order gives the same answer as the raw trip. */
  @Test
  public void v1PredictAcceptsReadyFeatureVectors() throws Exception {
    float[] raw =
        floats(
            http.post("/v1/models/taxi-tips:predict", instances(LOOP_CREDIT_CARD_TRIP))
                .json()
                .get("predictions"));
    List<Object> vector = featureVector(LOOP_CREDIT_CARD_TRIP);
    Http.Response r = http.post("/v1/models/taxi-tips:predict", instances(vector));
    assertEquals(r.text(), 200, r.status());
    assertEquals(raw[0], floats(r.json().get("predictions"))[0], 0f);
  }

  /** The feature vector of a trip as the V1/V2 tensor form sends it (null for missing). */
  private static List<Object> featureVector(Map<String, Object> trip) throws Exception {
    float[] v =
        new dev.tidemark.core.features.TaxiFeatures(FIRST.spec())
            .vector(dev.tidemark.core.trip.TaxiTripJson.fromJsonMap(trip));
    List<Object> out = new ArrayList<>();
    for (float f : v) {
      out.add(Float.isNaN(f) ? null : f);
    }
    return out;
  }

  /** :explain returns TreeSHAP contributions by feature name that add up to the margin. */
  @Test
  public void v1ExplainContributionsPlusBiasEqualTheMargin() throws Exception {
    Http.Response r =
        http.post(
            "/v1/models/taxi-tips:explain", instances(LOOP_CREDIT_CARD_TRIP, OHARE_CASH_TRIP));
    assertEquals(r.text(), 200, r.status());
    JsonNode names = r.json().get("feature_names");
    assertEquals(FIRST.spec().length(), names.size());
    assertEquals("fare", names.get(0).asText());
    JsonNode explanations = r.json().get("explanations");
    assertEquals(2, explanations.size());
    float[] expected = {FIRST.score(LOOP_CREDIT_CARD_TRIP), FIRST.score(OHARE_CASH_TRIP)};
    for (int i = 0; i < 2; i++) {
      JsonNode e = explanations.get(i);
      double sum = e.get("bias").asDouble();
      for (JsonNode name : names) {
        sum += e.get("contributions").get(name.asText()).asDouble();
      }
      double margin = e.get("margin").asDouble();
      assertEquals("contributions + bias = margin", margin, sum, 1e-4);
      assertEquals(expected[i], 1 / (1 + Math.exp(-margin)), 1e-5);
      assertEquals(expected[i], e.get("probability").floatValue(), 1e-6);
    }
  }

  // ------------------------------------------------------------------ V2

  /** GET /v2, live and ready. */
  @Test
  public void v2ServerMetadataLiveAndReady() throws Exception {
    Http.Response meta = http.get("/v2");
    assertEquals(200, meta.status());
    assertEquals("tidemark", meta.json().get("name").asText());
    assertEquals("model_repository", meta.json().get("extensions").get(0).asText());
    Http.Response live = http.get("/v2/health/live");
    assertEquals(200, live.status());
    assertEquals("{\"live\":true}", live.text());
    Http.Response ready = http.get("/v2/health/ready");
    assertEquals(200, ready.status());
    assertEquals("{\"ready\":true}", ready.text());
  }

  /** Model metadata names the inputs with -1 for variable dimensions and one FP32 output. */
  @Test
  public void v2ModelMetadataDescribesInputsAndOutputs() throws Exception {
    for (String path : List.of("/v2/models/taxi-tips", "/v2/models/taxi-tips/versions/" + V1)) {
      Http.Response r = http.get(path);
      assertEquals(r.text(), 200, r.status());
      JsonNode m = r.json();
      assertEquals("taxi-tips", m.get("name").asText());
      assertEquals("[\"" + V1 + "\"]", m.get("versions").toString());
      assertEquals("xgboost_json", m.get("platform").asText());
      JsonNode features = m.get("inputs").get(0);
      assertEquals("features", features.get("name").asText());
      assertEquals("FP32", features.get("datatype").asText());
      assertEquals("[-1," + FIRST.spec().length() + "]", features.get("shape").toString());
      assertEquals(
          "{\"name\":\"fare\",\"datatype\":\"FP64\",\"shape\":[-1]}",
          m.get("inputs").get(2).toString());
      assertEquals(
          "[{\"name\":\"probability\",\"datatype\":\"FP32\",\"shape\":[-1]}]",
          m.get("outputs").toString());
    }
    assertEquals(200, http.get("/v2/models/taxi-tips/ready").status());
    Http.Response ready = http.get("/v2/models/taxi-tips/versions/" + V1 + "/ready");
    assertEquals("{\"name\":\"taxi-tips\",\"ready\":true}", ready.text());
  }

  /** A [n, F] FP32 tensor, nested or flat, scores; id is echoed; the answering version is named. */
  @Test
  public void v2InferOnAFeatureTensorNestedOrFlat() throws Exception {
    List<Object> a = featureVector(LOOP_CREDIT_CARD_TRIP);
    List<Object> b = featureVector(OHARE_CASH_TRIP);
    int width = a.size();
    Map<String, Object> nested =
        Map.of(
            "id", "req-1",
            "parameters", Map.of("trace", true),
            "inputs",
                List.of(
                    Map.of(
                        "name",
                        "features",
                        "shape",
                        List.of(2, width),
                        "datatype",
                        "FP32",
                        "data",
                        List.of(a, b))),
            "outputs", List.of(Map.of("name", "probability")));
    Http.Response r = http.post("/v2/models/taxi-tips/infer", nested);
    assertEquals(r.text(), 200, r.status());
    assertEquals("taxi-tips", r.json().get("model_name").asText());
    assertEquals(V1, r.json().get("model_version").asText());
    assertEquals("req-1", r.json().get("id").asText());
    JsonNode out = r.json().get("outputs").get(0);
    assertEquals("probability", out.get("name").asText());
    assertEquals("FP32", out.get("datatype").asText());
    assertEquals("[2]", out.get("shape").toString());
    assertEquals(FIRST.score(LOOP_CREDIT_CARD_TRIP), out.get("data").get(0).floatValue(), 1e-6);
    assertEquals(FIRST.score(OHARE_CASH_TRIP), out.get("data").get(1).floatValue(), 1e-6);

    List<Object> flat = new ArrayList<>(a);
    flat.addAll(b);
    Map<String, Object> flatRequest =
        Map.of(
            "inputs",
            List.of(
                Map.of(
                    "name",
                    "features",
                    "shape",
                    List.of(2, width),
                    "datatype",
                    "FP32",
                    "data",
                    flat)));
    Http.Response v = http.post("/v2/models/taxi-tips/versions/" + V1 + "/infer", flatRequest);
    assertEquals(v.text(), 200, v.status());
    assertEquals(V1, v.json().get("model_version").asText());
    assertEquals(out.get("data"), v.json().get("outputs").get(0).get("data"));
  }

  /** One input per trip column (BYTES for text) goes through the taxi transformer. */
  @Test
  public void v2InferOnOneInputPerTripColumn() throws Exception {
    Map<String, Object> request =
        Map.of(
            "inputs",
            List.of(
                column("fare", "FP64", 9.25, 44.25),
                column("payment_type", "BYTES", "Credit Card", "Cash"),
                column("company", "BYTES", "Taxi Affiliation Services", "Flash Cab"),
                column("trip_miles", "FP64", 1.6, 17.8),
                column("trip_start_hour", "INT64", 18, 7)));
    Http.Response r = http.post("/v2/models/taxi-tips/infer", request);
    assertEquals(r.text(), 200, r.status());
    JsonNode data = r.json().get("outputs").get(0).get("data");
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("fare", 9.25);
    first.put("payment_type", "Credit Card");
    first.put("company", "Taxi Affiliation Services");
    first.put("trip_miles", 1.6);
    first.put("trip_start_hour", 18);
    assertEquals(FIRST.score(first), data.get(0).floatValue(), 1e-6);
    assertEquals(2, data.size());
  }

  private static Map<String, Object> column(String name, String datatype, Object... values) {
    return Map.of(
        "name",
        name,
        "shape",
        List.of(values.length),
        "datatype",
        datatype,
        "data",
        List.of(values));
  }

  // ------------------------------------------------------------------ repository

  /** Unload makes a model 404; load brings it back; an unknown version is 404. */
  @Test
  public void repositoryUnloadAndLoadAModel() throws Exception {
    Http.Response unload = http.post("/v2/repository/models/" + SHADOW + "/unload", "");
    assertEquals(unload.text(), 200, unload.status());
    assertEquals("UNAVAILABLE", unload.json().get("state").asText());
    Http.Response gone = http.post("/v1/models/" + SHADOW + ":predict", instances(FARE_ONLY_TRIP));
    assertEquals(404, gone.status());
    assertThat(gone.error(), containsString("not served"));
    assertEquals(404, http.get("/v2/models/" + SHADOW + "/ready").status());

    Http.Response missing =
        http.post(
            "/v2/repository/models/" + SHADOW + "/load",
            Map.of("parameters", Map.of("version", "19990101T000000Z")));
    assertEquals(404, missing.status());

    Http.Response load = http.post("/v2/repository/models/" + SHADOW + "/load", "");
    assertEquals(load.text(), 200, load.status());
    assertEquals(
        "{\"name\":\"tip-shadow\",\"version\":\"" + SHADOW_V + "\",\"state\":\"READY\"}",
        load.text());
    Http.Response back = http.post("/v1/models/" + SHADOW + ":predict", instances(FARE_ONLY_TRIP));
    assertEquals(200, back.status());
    assertEquals(SECOND.score(FARE_ONLY_TRIP), floats(back.json().get("predictions"))[0], 1e-6);
    assertEquals(404, http.post("/v2/repository/models/no-such-model/load", "").status());
  }

  // ------------------------------------------------------------------ errors

  /** Bad inputs are 400 with a one-sentence error naming the problem. */
  @Test
  public void badInputsAre400WithAnErrorBody() throws Exception {
    assertError(400, "not valid JSON", http.post("/v1/models/taxi-tips:predict", "{instances"));
    assertError(400, "'instances' must be", http.post("/v1/models/taxi-tips:predict", "{}"));
    assertError(400, "is empty", http.post("/v1/models/taxi-tips:predict", instances()));
    assertError(
        400,
        "instance 0: fare is not a number",
        http.post("/v1/models/taxi-tips:predict", instances(MALFORMED_TRIP)));
    assertError(
        400,
        "instance 0 has 3 features",
        http.post("/v1/models/taxi-tips:predict", instances(List.of(1, 2, 3))));
    assertError(
        400,
        "needs 6 elements, data has 5",
        http.post(
            "/v2/models/taxi-tips/infer",
            Map.of(
                "inputs",
                List.of(
                    Map.of(
                        "name",
                        "fare",
                        "shape",
                        List.of(2, 3),
                        "datatype",
                        "FP64",
                        "data",
                        List.of(1, 2, 3, 4, 5))))));
    assertError(
        400,
        "does not match shape",
        http.post(
            "/v2/models/taxi-tips/infer",
            Map.of(
                "inputs",
                List.of(
                    Map.of(
                        "name",
                        "features",
                        "shape",
                        List.of(2, 2),
                        "datatype",
                        "FP32",
                        "data",
                        List.of(List.of(1, 2), List.of(3)))))));
    assertError(
        400,
        "unknown input 'colour'",
        http.post(
            "/v2/models/taxi-tips/infer",
            Map.of("inputs", List.of(column("colour", "BYTES", "red")))));
    assertError(
        400,
        "unknown output 'tip_amount'",
        http.post(
            "/v2/models/taxi-tips/infer",
            Map.of(
                "inputs", List.of(column("fare", "FP64", 3.0)),
                "outputs", List.of(Map.of("name", "tip_amount")))));
  }

  /** Unknown models, versions and endpoints are 404; wrong methods 405. */
  @Test
  public void unknownModelsVersionsAndPathsAre404() throws Exception {
    assertError(404, "'nope' is not served", http.post("/v1/models/nope:predict", instances()));
    assertError(404, "not served", http.get("/v1/models/nope"));
    assertError(404, "not served", http.get("/v2/models/nope"));
    assertError(404, "is not loaded", http.get("/v2/models/taxi-tips/versions/19990101T000000Z"));
    assertError(404, "no endpoint", http.get("/v3/models"));
    assertError(405, "takes POST", http.get("/v2/models/taxi-tips/infer"));
  }

  /** Names that try to climb out of the repository are refused with 400 before any storage. */
  @Test
  public void pathTricksInModelNamesAre400() throws Exception {
    assertError(400, "invalid model name", http.get("/v1/models/..%2F..%2Fetc"));
    assertError(400, "invalid model name", http.get("/v2/models/..%2Fsecrets/ready"));
    assertError(
        400, "invalid model name", http.post("/v2/repository/models/%2Fetc%2Fpasswd/load", ""));
    assertError(400, "invalid version name", http.get("/v2/models/taxi-tips/versions/..%2F.."));
  }

  /** A body above the limit is 413 before the model sees it. */
  @Test
  public void bodiesAboveTheLimitAre413() throws Exception {
    String big = "{\"instances\":[" + "{\"fare\":1.0},".repeat(8000) + "{\"fare\":1.0}]}";
    assertError(413, "larger than the limit", http.post("/v1/models/taxi-tips:predict", big));
  }

  /** The binary tensor extension and half-precision tensors are 501. */
  @Test
  public void unsupportedProtocolFeaturesAre501() throws Exception {
    assertError(
        501,
        "binary tensor data",
        http.post(
            "/v2/models/taxi-tips/infer",
            Map.of(
                "inputs", List.of(column("fare", "FP64", 3.0)),
                "outputs",
                    List.of(
                        Map.of(
                            "name", "probability", "parameters", Map.of("binary_data", true))))));
    assertError(
        501,
        "FP16 is not supported",
        http.post(
            "/v2/models/taxi-tips/infer", Map.of("inputs", List.of(column("fare", "FP16", 3.0)))));
  }

  /** /metrics speaks Prometheus text: counts and latency per model and endpoint, batch sizes. */
  @Test
  public void metricsAreInPrometheusTextFormat() throws Exception {
    http.post("/v1/models/taxi-tips:predict", instances(FARE_ONLY_TRIP));
    http.post("/v1/models/nope:predict", instances(FARE_ONLY_TRIP));
    Http.Response r = http.get("/metrics");
    assertEquals(200, r.status());
    String text = r.text();
    assertThat(text, startsWith("# HELP tidemark_requests_total"));
    assertThat(
        text,
        containsString(
            "tidemark_requests_total{model=\"taxi-tips\",endpoint=\"v1_predict\",code=\"200\"}"));
    assertThat(
        text,
        containsString("tidemark_requests_total{model=\"\",endpoint=\"v1_predict\",code=\"404\"}"));
    assertThat(
        text,
        containsString(
            "tidemark_request_duration_seconds_bucket{model=\"taxi-tips\",endpoint=\"v1_predict\",le=\"+Inf\"}"));
    assertThat(text, containsString("tidemark_batch_size_count{model=\"taxi-tips\"}"));
    assertThat(
        text, containsString("tidemark_model_load_seconds{model=\"taxi-tips\",version=\"" + V1));
    assertThat(text, containsString("tidemark_inflight_requests 1\n"));
  }

  static void assertError(int status, String message, Http.Response r) {
    assertEquals(r.text(), status, r.status());
    assertThat(r.text(), r.error(), containsString(message));
  }
}
