package dev.tidemark.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.training.ClassifierMetrics;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.testing.SampleData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The training pipeline end to end on DirectRunner, publishing to a local directory. (Training
 * twice gives byte-identical models: see TipModelTrainerTest, and TrainCommandTest in runners/,
 * which compares DirectRunner and FlinkRunner.)
 */
public class TrainTaxiTipsTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path models;
  private static Map<String, byte[]> first;

  @BeforeClass
  public static void trainOnce() throws Exception {
    models = tmp.newFolder("models").toPath();
    train("20261127T090000Z");
    try (ModelStore store = ModelStore.open(models.toString(), null)) {
      first = store.read("taxi-tips", "20261127T090000Z");
    }
  }

  private static void train(String version) throws Exception {
    TrainTaxiTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--input=" + SampleData.taxiTrips(),
                "--output=" + models,
                "--modelVersion=" + version,
                "--seed=42",
                "--rejectsOutput=" + tmp.getRoot().toPath().resolve(version + "/rejects"))
            .withValidation()
            .as(TrainTaxiTips.Options.class);
    TrainTaxiTips.run(options).waitUntilFinish();
  }

  /** The options parse with their defaults. */
  @Test
  public void optionsHaveDefaults() {
    TrainTaxiTips.Options o = PipelineOptionsFactory.as(TrainTaxiTips.Options.class);
    assertEquals("data/chicago-taxi/trips.csv", o.getInput());
    assertEquals("s3://models", o.getOutput());
    assertEquals(42L, o.getSeed());
  }

  /** A version holds exactly the four artifacts (the marker is checked by the store's read). */
  @Test
  public void versionHoldsTheFourArtifacts() {
    assertEquals(
        Set.of(
            "model.json", "feature_spec.json", "metrics.json", "model_card.json", "reference.json"),
        first.keySet());
  }

  /** The model card counts every data line: 11,959 clean and 43 rejected, per rule. */
  @Test
  public void modelCardAccountsForEveryLine() throws Exception {
    JsonNode data = JSON.readTree(first.get("model_card.json")).get("data");
    // expected counts from an independent Python implementation of the rules
    assertEquals(12002, data.get("rowsRead").asLong());
    assertEquals(11959, data.get("cleanRows").asLong());
    assertEquals(43, data.get("rejectedRows").asLong());
    JsonNode perRule = data.get("rejectsPerRule");
    assertEquals(25, perRule.get("FARE_NOT_POSITIVE").asLong());
    assertEquals(15, perRule.get("PAYMENT_TYPE_UNKNOWN").asLong());
    assertEquals(1, perRule.get("FARE_ABSURD").asLong());
    assertEquals(1, perRule.get("DURATION_ABSURD").asLong());
    assertEquals(1, perRule.get("DISTANCE_ABSURD").asLong());
    assertEquals(0, perRule.get("MALFORMED_LINE").asLong());
    assertEquals(11959, data.get("trainRows").asLong() + data.get("evalRows").asLong());
    assertEquals(
        ModelStore.sha256(Files.readAllBytes(SampleData.taxiTrips())),
        data.get("inputSha256").asText());
  }

  /** The classifier meets the quality bar on the eval split. */
  @Test
  public void evalRocAucMeetsTheBar() throws Exception {
    JsonNode eval = JSON.readTree(first.get("metrics.json")).get("classifier").get("eval");
    assertThat(eval.get("rocAuc").asDouble(), greaterThanOrEqualTo(0.95));
    assertEquals(10, eval.get("calibration").size());
  }

  /**
   * Scoring the eval split again from the exported files alone (reloaded spec, model.json)
   * reproduces the exported eval ROC AUC: the artifacts are self-sufficient.
   */
  @Test
  public void exportedArtifactsReproduceTheEvalMetrics() throws Exception {
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(
                new String(first.get("feature_spec.json"), StandardCharsets.UTF_8)));
    List<LabeledRow> eval = new ArrayList<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips())) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip t = TaxiTripCsv.parse(line);
        if (TripRule.firstBroken(t).isEmpty() && TripSplit.isEval(t)) {
          eval.add(LabeledRow.of(t, features));
        }
      } catch (MalformedTripException e) {
        // none in the sample
      }
    }
    int width = features.length();
    float[] flat = new float[eval.size() * width];
    float[] labels = new float[eval.size()];
    for (int i = 0; i < eval.size(); i++) {
      System.arraycopy(eval.get(i).features(), 0, flat, i * width, width);
      labels[i] = eval.get(i).bigTipper();
    }
    float[] p = TipModelTrainer.predict(first.get("model.json"), flat, width);
    double auc = ClassifierMetrics.of(labels, p, 0.5).rocAuc();
    JsonNode exported = JSON.readTree(first.get("metrics.json")).get("classifier").get("eval");
    assertEquals(exported.get("rocAuc").asDouble(), auc, 1e-12);
    assertEquals(exported.get("rows").asLong(), eval.size());
  }
}
