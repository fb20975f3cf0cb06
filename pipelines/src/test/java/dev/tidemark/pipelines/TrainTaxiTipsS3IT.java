package dev.tidemark.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.ObjectStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.store.StoreLocation;
import dev.tidemark.testing.S3ProxyServer;
import dev.tidemark.testing.SampleData;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The training pipeline against a real S3 API (S3Proxy on loopback, started and stopped here): the
 * input is read from {@code s3://data/...}, the model is published to {@code s3://models}, whose
 * bucket does not exist beforehand.
 */
public class TrainTaxiTipsS3IT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  /** Input from S3, model to S3: a complete version appears, and is the latest. */
  @Test
  public void trainsFromS3IntoS3() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.newFolder("s3").toPath())) {
      S3Settings settings = S3Settings.fromEnv(Map.of()).withEndpoint(s3.endpoint());
      try (ObjectStore data = ObjectStore.open(StoreLocation.parse("s3://data"), settings)) {
        data.put("chicago-taxi/trips.csv", Files.readAllBytes(SampleData.taxiTrips()));
      }
      TrainTaxiTips.Options options =
          PipelineOptionsFactory.fromArgs(
                  "--runner=DirectRunner",
                  "--input=s3://data/chicago-taxi/trips.csv",
                  "--output=s3://models",
                  "--s3Endpoint=" + s3.endpoint(),
                  "--modelVersion=20261127T090000Z",
                  "--rejectsOutput=" + tmp.getRoot().toPath().resolve("rejects"))
              .withValidation()
              .as(TrainTaxiTips.Options.class);
      TrainTaxiTips.run(options).waitUntilFinish();

      try (ModelStore store = ModelStore.open("s3://models", settings)) {
        assertEquals(Optional.of("20261127T090000Z"), store.latestVersion("taxi-tips"));
        Map<String, byte[]> files = store.read("taxi-tips", "20261127T090000Z");
        JsonNode card = new ObjectMapper().readTree(files.get("model_card.json"));
        assertEquals(12002, card.get("data").get("rowsRead").asLong());
        assertEquals("s3://data/chicago-taxi/trips.csv", card.get("data").get("input").asText());
        JsonNode metrics = new ObjectMapper().readTree(files.get("metrics.json"));
        assertThat(
            metrics.get("classifier").get("eval").get("rocAuc").asDouble(),
            greaterThanOrEqualTo(0.95));
      }
      try (ObjectStore raw = ObjectStore.open(StoreLocation.parse("s3://models"), settings)) {
        assertEquals(
            List.of(
                "taxi-tips/20261127T090000Z/_COMPLETE",
                "taxi-tips/20261127T090000Z/feature_spec.json",
                "taxi-tips/20261127T090000Z/metrics.json",
                "taxi-tips/20261127T090000Z/model.json",
                "taxi-tips/20261127T090000Z/model_card.json",
                "taxi-tips/20261127T090000Z/reference.json"),
            raw.list("taxi-tips/"));
      }
    }
  }
}
