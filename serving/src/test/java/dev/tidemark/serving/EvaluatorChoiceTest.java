package dev.tidemark.serving;

import static dev.tidemark.serving.TaxiTipsModels.FARE_ONLY_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.FIRST;
import static dev.tidemark.serving.TaxiTipsModels.LOOP_CREDIT_CARD_TRIP;
import static dev.tidemark.serving.TaxiTipsModels.MODEL;
import static dev.tidemark.serving.TaxiTipsModels.OHARE_CASH_TRIP;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.store.S3Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The server's {@code --evaluator}: compiled by default, xgboost4j on request, and the same
 * probabilities over HTTP from both, for single trips and a batch.
 */
public class EvaluatorChoiceTest {

  static final String V1 = "20261127T090000Z";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static String repo;
  private static final S3Settings S3 = S3Settings.fromEnv(Map.of());

  @BeforeClass
  public static void publish() throws Exception {
    repo = TMP.newFolder("models").toURI().toString();
    TaxiTipsModels.publish(repo, S3, MODEL, V1, FIRST);
  }

  /** Without the flag the server compiles; the flag parses either name. */
  @Test
  public void compiledIsTheDefaultAndTheFlagChoosesEither() {
    assertEquals(Evaluator.COMPILED, ServerConfig.defaults(repo).evaluator());
    assertEquals(Evaluator.COMPILED, Main.parse(new String[] {"--repository", repo}).evaluator());
    assertEquals(
        Evaluator.XGBOOST4J,
        Main.parse(new String[] {"--repository", repo, "--evaluator", "xgboost4j"}).evaluator());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Main.parse(new String[] {"--evaluator", "onnx"}));
    assertThat(e.getMessage(), containsString("expected xgboost4j or compiled"));
  }

  /** Both servers answer V1 with the trainer's probabilities, within 1e-6 of each other. */
  @Test
  public void bothEvaluatorsAnswerTheSameOverHttp() throws Exception {
    Map<String, Object> body =
        Map.of("instances", List.of(LOOP_CREDIT_CARD_TRIP, OHARE_CASH_TRIP, FARE_ONLY_TRIP));
    float[] compiled = predict(Evaluator.COMPILED, body);
    float[] xgboost = predict(Evaluator.XGBOOST4J, body);
    assertEquals(3, compiled.length);
    for (int i = 0; i < 3; i++) {
      assertEquals("trip " + i, xgboost[i], compiled[i], 1e-6);
    }
    assertEquals(FIRST.score(LOOP_CREDIT_CARD_TRIP), compiled[0], 1e-6);
  }

  private static float[] predict(Evaluator evaluator, Map<String, Object> body) throws Exception {
    try (ModelServer server =
        ModelServer.start(
            ServerConfig.defaults(repo)
                .withS3(S3)
                .withPort(0)
                .withPollInterval(Duration.ZERO)
                .withEvaluator(evaluator))) {
      assertEquals(evaluator, server.registry().evaluator());
      assertEquals(evaluator, server.registry().resolve(MODEL).orElseThrow().model().evaluator());
      Http.Response r = new Http(server.url()).post("/v1/models/taxi-tips:predict", body);
      assertEquals(r.text(), 200, r.status());
      JsonNode p = r.json().get("predictions");
      float[] out = new float[p.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = p.get(i).floatValue();
      }
      return out;
    }
  }
}
