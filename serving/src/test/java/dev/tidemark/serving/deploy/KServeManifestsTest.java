package dev.tidemark.serving.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tidemark.core.store.S3Settings;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The KServe manifests parse back into the Secret, ServiceAccount and InferenceService. */
public class KServeManifestsTest {

  static final ModelUri MODEL = ModelUri.parse("s3://models/taxi-tips/20261127T090000Z");
  static final S3Settings MINIO =
      S3Settings.fromEnv(
          Map.of(
              "AWS_ENDPOINT_URL", "http://minio.storage:9000",
              "AWS_REGION", "eu-west-1",
              "AWS_ACCESS_KEY_ID", "lab-access",
              "AWS_SECRET_ACCESS_KEY", "lab-secret"));

  /** Three documents with the fields KServe reads, wired to each other by name. */
  @Test
  public void manifestsParseBackWithStorageUriServiceAccountAndS3Annotations() throws Exception {
    String yaml = KServeManifests.inferenceService(MODEL, "taxi-tips", "lab", MINIO);
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    List<JsonNode> docs;
    try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(yaml)) {
      docs = it.readAll();
    }
    assertEquals(3, docs.size());

    JsonNode secret = docs.get(0);
    assertEquals("v1", secret.at("/apiVersion").asText());
    assertEquals("Secret", secret.at("/kind").asText());
    assertEquals("taxi-tips-s3", secret.at("/metadata/name").asText());
    assertEquals("lab", secret.at("/metadata/namespace").asText());
    JsonNode annotations = secret.at("/metadata/annotations");
    assertEquals("minio.storage:9000", annotations.get("serving.kserve.io/s3-endpoint").asText());
    assertEquals("0", annotations.get("serving.kserve.io/s3-usehttps").asText());
    assertEquals("eu-west-1", annotations.get("serving.kserve.io/s3-region").asText());
    assertEquals("false", annotations.get("serving.kserve.io/s3-useanoncredential").asText());
    assertEquals("lab-access", secret.at("/stringData/AWS_ACCESS_KEY_ID").asText());
    assertEquals("lab-secret", secret.at("/stringData/AWS_SECRET_ACCESS_KEY").asText());

    JsonNode account = docs.get(1);
    assertEquals("ServiceAccount", account.at("/kind").asText());
    assertEquals("taxi-tips-sa", account.at("/metadata/name").asText());
    assertEquals("taxi-tips-s3", account.at("/secrets/0/name").asText());

    JsonNode isvc = docs.get(2);
    assertEquals("serving.kserve.io/v1beta1", isvc.at("/apiVersion").asText());
    assertEquals("InferenceService", isvc.at("/kind").asText());
    assertEquals("taxi-tips", isvc.at("/metadata/name").asText());
    JsonNode predictor = isvc.at("/spec/predictor");
    assertEquals("taxi-tips-sa", predictor.at("/serviceAccountName").asText());
    assertEquals("xgboost", predictor.at("/model/modelFormat/name").asText());
    assertEquals("v2", predictor.at("/model/protocolVersion").asText());
    assertEquals(
        "s3://models/taxi-tips/20261127T090000Z", predictor.at("/model/storageUri").asText());
  }

  /** Model URIs split into repository, model and version; others are refused. */
  @Test
  public void modelUrisNameRepositoryModelAndVersion() {
    assertEquals(
        new ModelUri("s3://models", "taxi-tips", "20261127T090000Z"),
        ModelUri.parse("s3://models/taxi-tips/20261127T090000Z/"));
    assertEquals(
        new ModelUri("file:///srv/models", "taxi-tips", "v1"),
        ModelUri.parse("file:///srv/models/taxi-tips/v1"));
    assertThrows(IllegalArgumentException.class, () -> ModelUri.parse("s3://models/taxi-tips"));
    assertThrows(IllegalArgumentException.class, () -> ModelUri.parse("s3://models/../etc"));
  }
}
