package dev.tidemark.runners.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.TrainTaxiTips;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.testing.SampleData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming inference graph end to end with the real broker, the real object store and the real
 * model server: trips on Kafka are scored by an {@code Ensemble} of the newest model version in
 * process and the same model on the server over the Open Inference Protocol. Every input trip gets
 * exactly one prediction or one dead letter; in-process and remote inference give the same
 * probabilities; a version published mid-stream answers every trip sent after it, in process and on
 * the server, with no trip lost.
 */
public class InferenceGraphIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String V1 = "20261127T090000Z";
  private static final String V2 = "20261127T100000Z";
  private static final String STORE = "s3://models";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static S3Settings s3;
  private static ModelServerProcess server;

  /** Trains v1 (defaults) and v2 (deeper trees) into S3; starts the server on v1. */
  @BeforeClass
  public static void trainAndServe() throws Exception {
    s3 = S3Settings.fromEnv().withEndpoint(URI.create(STACK.stack().settings().s3Endpoint()));
    STACK.stack().s3Client().createBucket(b -> b.bucket("models"));
    train(V1, 4);
    // In its own JVM: Vert.x is kept off the runners classpath (see runners/pom.xml).
    server =
        ModelServerProcess.start(
            STORE,
            TMP.getRoot().toPath().resolve("server.log"),
            1,
            Map.of("AWS_ENDPOINT_URL", s3.endpoint().toString()));
  }

  @AfterClass
  public static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static void train(String version, int depth) {
    Path staging = TMP.getRoot().toPath().resolve("train-" + version);
    TrainTaxiTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--input=" + SampleData.taxiTrips(),
                "--output=" + STORE,
                "--s3Endpoint=" + s3.endpoint(),
                "--modelVersion=" + version,
                "--maxDepth=" + depth,
                "--rejectsOutput=" + staging.resolve("rejects"))
            .as(TrainTaxiTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    TrainTaxiTips.run(options).waitUntilFinish();
  }

  /**
   * 200 trips and 3 malformed records; then v2 is published and both sides pick it up; then 150
   * trips and 2 malformed records: 350 predictions + 5 dead letters, each prediction answered by
   * both steps with equal probabilities, by v1 before the swap and by v2 after it.
   */
  @Test
  public void inProcessAndRemoteAgreeAndASwapLosesNothing() throws Exception {
    String topic = "trips-graph";
    STACK.createTopic(topic, 2);
    List<TaxiTrip> trips = TripTopics.distinctTripsInEventTimeOrder(350);
    List<TaxiTrip> first = trips.subList(0, 200);
    List<TaxiTrip> second = trips.subList(200, 350);
    Path graph = inProcessAndRemoteGraph("graph.yaml");

    List<ProducerRecord<byte[], byte[]>> batch1 = TripTopics.records(topic, first);
    batch1.add(TripTopics.malformed(topic, 0, "{\"fare\":3.0,\"trip_start_timestamp\":"));
    batch1.add(TripTopics.malformed(topic, 1, "{\"fare\":3.0}"));
    batch1.add(TripTopics.malformed(topic, 1, "not json"));
    STACK.send(batch1);

    PredictTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + topic,
                "--deadLetterTopic=" + topic + "-dead-letters",
                "--predictionsTopic=" + topic + "-predictions",
                "--monitoringTopic=" + topic + "-monitoring",
                "--reviewTopic=" + topic + "-reviews",
                "--comparisonTopic=" + topic + "-comparison",
                "--modelStore=" + STORE,
                "--s3Endpoint=" + s3.endpoint(),
                "--graph=" + graph,
                "--modelPollSeconds=1",
                "--follow=true",
                "--idleTimeoutSeconds=1")
            .as(PredictTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    PipelineResult run = PredictTips.run(options);
    try {
      TripTopics.awaitOutputs(STACK, topic, 203, 90);
      train(V2, 6);
      awaitServerVersion(V2, 60);
      // Both sides poll once a second: let two intervals pass so that the next batch in process
      // looks for v2 too (a wait for the interval, not for a result).
      Thread.sleep(2_000);
      List<ProducerRecord<byte[], byte[]>> batch2 = TripTopics.records(topic, second);
      batch2.add(TripTopics.malformed(topic, 0, "{\"trip_start_timestamp\":\"yesterday\"}"));
      batch2.add(TripTopics.malformed(topic, 1, "[]"));
      STACK.send(batch2);
      TripTopics.awaitOutputs(STACK, topic, 355, 90);
    } finally {
      run.cancel();
    }

    List<ConsumerRecord<byte[], byte[]>> predictions = STACK.readAll(topic + "-predictions");
    assertThat(predictions, hasSize(350));
    assertThat(STACK.readAll(topic + "-dead-letters"), hasSize(5));

    Map<String, Map<String, Float>> offline;
    try (ModelStore s = ModelStore.open(STORE, s3)) {
      offline =
          Map.of(
              V1, TripTopics.offlineScores(s, V1, trips),
              V2, TripTopics.offlineScores(s, V2, trips));
    }
    Set<String> firstIds = TripTopics.ids(first);
    Set<String> seen = new HashSet<>();
    int differentFromV1 = 0;
    for (ConsumerRecord<byte[], byte[]> r : predictions) {
      JsonNode p = JSON.readTree(r.value());
      String id = p.get("tripId").asText();
      assertThat("one prediction per trip: " + id, seen.add(id), equalTo(true));
      JsonNode steps = p.get("steps");
      assertThat(steps.size(), equalTo(2));
      JsonNode inProcess = steps.get(0);
      JsonNode remote = steps.get(1);
      assertThat(inProcess.get("step").asText(), equalTo("in-process"));
      assertThat(remote.get("step").asText(), equalTo("remote"));
      String version = inProcess.get("version").asText();
      if (firstIds.contains(id)) {
        assertThat("trip sent before the swap: " + id, version, equalTo(V1));
      } else {
        assertThat("trip sent after the swap: " + id, version, equalTo(V2));
      }
      assertThat(remote.get("version").asText(), equalTo(version));
      assertThat(
          "in process = remote for " + id,
          remote.get("probability").asDouble(),
          equalTo(inProcess.get("probability").asDouble()));
      assertThat(
          inProcess.get("probability").asDouble(), closeTo(offline.get(version).get(id), 1e-6));
      if (Math.abs(offline.get(V1).get(id) - offline.get(V2).get(id)) > 1e-6) {
        differentFromV1++;
      }
    }
    assertThat(seen, equalTo(TripTopics.ids(trips)));
    // v2 is a different model: the swap is visible in the probabilities, not only the version.
    assertThat(differentFromV1, greaterThan(0));
    assertThat(offline.get(V1), not(equalTo(offline.get(V2))));
  }

  /** An Ensemble of the newest version in process and the newest version on the server. */
  private static Path inProcessAndRemoteGraph(String file) throws Exception {
    Path graph = TMP.getRoot().toPath().resolve(file);
    Files.writeString(
        graph,
        String.join(
            "\n",
            "apiVersion: serving.kserve.io/v1alpha1",
            "kind: InferenceGraph",
            "metadata:",
            "  name: in-process-and-remote",
            "spec:",
            "  nodes:",
            "    root:",
            "      routerType: Ensemble",
            "      steps:",
            "        - name: in-process",
            "          serviceName: taxi-tips",
            "          dependency: Hard",
            "        - name: remote",
            "          serviceUrl: " + server.url() + "/v2/models/taxi-tips/infer",
            "          dependency: Hard",
            ""));
    return graph;
  }

  /**
   * The same graph on the embedded FlinkRunner (streaming, parallelism 2, detached so that the test
   * can cancel it): 120 trips and 2 malformed records give 120 predictions, each with equal
   * in-process and remote probabilities, and 2 dead letters.
   */
  @Test
  public void onTheEmbeddedFlinkRunnerEveryTripIsScoredOnceAndBothSidesAgree() throws Exception {
    String topic = "trips-graph-flink";
    STACK.createTopic(topic, 2);
    List<TaxiTrip> trips = TripTopics.distinctTripsInEventTimeOrder(470).subList(350, 470);
    List<ProducerRecord<byte[], byte[]>> batch = TripTopics.records(topic, trips);
    batch.add(TripTopics.malformed(topic, 0, "{\"fare\":"));
    batch.add(TripTopics.malformed(topic, 1, "{}"));
    STACK.send(batch);
    PredictTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--streaming=true",
                "--attachedMode=false",
                "--parallelism=2",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + topic,
                "--deadLetterTopic=" + topic + "-dead-letters",
                "--predictionsTopic=" + topic + "-predictions",
                "--monitoringTopic=" + topic + "-monitoring",
                "--reviewTopic=" + topic + "-reviews",
                "--comparisonTopic=" + topic + "-comparison",
                "--modelStore=" + STORE,
                "--s3Endpoint=" + s3.endpoint(),
                "--graph=" + inProcessAndRemoteGraph("graph-flink.yaml"),
                "--follow=true",
                "--idleTimeoutSeconds=1")
            .as(PredictTips.Options.class);
    PipelineResult run = PredictTips.run(options);
    try {
      TripTopics.awaitOutputs(STACK, topic, 122, 120);
    } finally {
      run.cancel();
    }
    List<ConsumerRecord<byte[], byte[]>> predictions = STACK.readAll(topic + "-predictions");
    assertThat(predictions, hasSize(120));
    assertThat(STACK.readAll(topic + "-dead-letters"), hasSize(2));
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : predictions) {
      JsonNode p = JSON.readTree(r.value());
      assertThat(seen.add(p.get("tripId").asText()), equalTo(true));
      JsonNode steps = p.get("steps");
      assertThat(
          steps.get(1).get("version").asText(), equalTo(steps.get(0).get("version").asText()));
      assertThat(
          steps.get(1).get("probability").asDouble(),
          equalTo(steps.get(0).get("probability").asDouble()));
    }
    assertThat(seen, equalTo(TripTopics.ids(trips)));
  }

  private static void awaitServerVersion(String version, int seconds) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(
                          server.url() + "/v2/models/taxi-tips/versions/" + version + "/ready"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the server did not load " + version + " in " + seconds + " s");
  }
}
