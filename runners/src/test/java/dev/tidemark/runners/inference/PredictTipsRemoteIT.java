package dev.tidemark.runners.inference;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripScorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code predict-tips --inference=remote} on a real broker against the real model server: every
 * trip event becomes one prediction (with the in-process probability, bit for bit) or one dead
 * letter, also after the server stops, when the failed calls' trips go to the dead-letter topic
 * with the reason.
 */
public class PredictTipsRemoteIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String V1 = "20261127T090000Z";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * 120 trips + 2 malformed records scored by the server; the server stops; 60 more trips: 120
   * predictions equal to in-process scoring, 2 + 60 dead letters, the 60 with the remote reason.
   */
  @Test
  public void everyTripIsOnePredictionOrOneDeadLetterAlsoWhenTheServerStops() throws Exception {
    List<TaxiTrip> sample = TipModelFixtures.sampleTrips(3_180);
    String store = TMP.newFolder("models").getAbsolutePath();
    TipModelFixtures.trainAndPublish(store, V1, sample.subList(0, 3_000));
    List<TaxiTrip> trips = new ArrayList<>(sample.subList(3_000, 3_180));
    trips.sort(Comparator.comparing(TaxiTrip::tripStart));
    List<TaxiTrip> served = trips.subList(0, 120);
    List<TaxiTrip> afterStop = trips.subList(120, 180);

    String topic = "trips-remote";
    STACK.createTopic(topic, 2);
    List<ProducerRecord<byte[], byte[]>> first = TripTopics.records(topic, served);
    first.add(new ProducerRecord<>(topic, 0, null, "{\"fare\":3.0}".getBytes(UTF_8)));
    first.add(new ProducerRecord<>(topic, 1, null, "not json".getBytes(UTF_8)));
    STACK.send(first);

    ModelServerProcess server =
        ModelServerProcess.start(store, TMP.getRoot().toPath().resolve("server.log"));
    String inferUrl = server.inferUrl(ModelFiles.TAXI_TIPS, null);
    PredictTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + topic,
                "--deadLetterTopic=" + topic + "-dead-letters",
                "--predictionsTopic=" + topic + "-predictions",
                "--monitoringTopic=" + topic + "-monitoring",
                "--modelStore=" + store,
                "--inference=remote",
                "--serverUrl=" + server.url(),
                "--remoteTimeoutMs=2000",
                "--remoteRetries=2",
                "--follow=true",
                "--idleTimeoutSeconds=1")
            .as(PredictTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    PipelineResult run = PredictTips.run(options);
    try {
      TripTopics.awaitOutputs(STACK, topic, 122, 90);
      server.close();
      STACK.send(TripTopics.records(topic, afterStop));
      TripTopics.awaitOutputs(STACK, topic, 182, 90);
    } finally {
      run.cancel();
      server.close();
    }

    Map<String, Double> inProcess = new HashMap<>();
    try (TripScorer s = InProcessScorer.pinned(store, ModelFiles.TAXI_TIPS, V1).open()) {
      List<ScoreOutcome> o = s.score(served);
      for (int i = 0; i < served.size(); i++) {
        inProcess.put(
            TripSplit.tripId(served.get(i)), ((ScoreOutcome.Scored) o.get(i)).probability());
      }
    }
    List<ConsumerRecord<byte[], byte[]>> predictions = STACK.readAll(topic + "-predictions");
    assertThat(predictions, hasSize(120));
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : predictions) {
      JsonNode p = JSON.readTree(r.value());
      String id = p.get("tripId").asText();
      assertThat("one prediction per trip: " + id, seen.add(id), equalTo(true));
      assertThat(p.get("model").asText(), equalTo(ModelFiles.TAXI_TIPS));
      assertThat(p.get("version").asText(), equalTo(V1));
      assertThat(id, p.get("probability").asDouble(), equalTo(inProcess.get(id)));
    }
    assertThat(seen, equalTo(inProcess.keySet()));

    List<ConsumerRecord<byte[], byte[]>> deadLetters = STACK.readAll(topic + "-dead-letters");
    assertThat(deadLetters, hasSize(62));
    Set<String> unscoredIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
      String reason = header(r, WriteRejects.REASON);
      if (header(r, WriteRejects.SOURCE).equals(ScoreTrips.SOURCE)) {
        assertThat(
            reason,
            anyOf(
                startsWith("the remote call to " + inferUrl + " failed after "),
                startsWith("circuit breaker open for " + inferUrl + " until ")));
        unscoredIds.add(TripSplit.tripId(TaxiTripJson.parse(r.value())));
      }
    }
    Set<String> afterStopIds = new HashSet<>();
    afterStop.forEach(t -> afterStopIds.add(TripSplit.tripId(t)));
    assertThat(
        "every trip sent after the stop is a dead letter", unscoredIds, equalTo(afterStopIds));

    // Monitoring drift needs the feature vectors: the remote scorer computed them locally.
    boolean fareDrift = false;
    for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic + "-monitoring")) {
      for (JsonNode d : JSON.readTree(r.value()).get("drift")) {
        fareDrift |= d.get("feature").asText().equals("fare") && d.get("values").asLong() > 0;
      }
    }
    assertThat(fareDrift, equalTo(true));
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), UTF_8);
  }
}
