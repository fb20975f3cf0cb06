package dev.tidemark.runners.inference;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.pipelines.TrainTaxiTips;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.testing.SampleData;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.modelstore.ModelStore;
import dev.tidemark.transforms.taxi.MalformedTripException;
import dev.tidemark.transforms.taxi.TaxiTrip;
import dev.tidemark.transforms.taxi.TaxiTripCsv;
import dev.tidemark.transforms.taxi.TaxiTripJson;
import dev.tidemark.transforms.taxi.features.FeatureSpec;
import dev.tidemark.transforms.taxi.features.TaxiFeatures;
import dev.tidemark.transforms.taxi.features.TripSplit;
import dev.tidemark.transforms.taxi.model.TipModelTrainer;
import dev.tidemark.transforms.taxi.training.ExportModel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming inference pipeline on a real broker with a model trained by the real training
 * pipeline on the shipped sample: every trip event gets exactly one prediction or one dead letter,
 * predictions equal scoring each trip alone, and a model version published while the pipeline runs
 * scores every trip sent after it.
 */
public class PredictTipsIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String V1 = "20261127T090000Z";
  private static final String V2 = "20261127T100000Z";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String store;

  /** Trains and publishes v1 exactly as {@code bin/tidemark train --output DIR} does. */
  @BeforeClass
  public static void trainTheModel() throws Exception {
    store = TMP.newFolder("models").getAbsolutePath();
    TrainTaxiTips.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--input=" + SampleData.taxiTrips(),
                "--output=" + store,
                "--modelVersion=" + V1,
                "--rejectsOutput=" + TMP.getRoot().toPath().resolve("rejects/rejects"))
            .as(TrainTaxiTips.Options.class);
    TrainTaxiTips.run(options).waitUntilFinish();
  }

  /**
   * 150 trips and 3 malformed records, then v2 is published, then 100 trips and 2 malformed
   * records: 250 predictions (150 by v1, 100 by v2) + 5 dead letters, nothing lost or doubled.
   */
  @Test
  public void everyTripGetsOnePredictionOrOneDeadLetterAcrossAHotSwap() throws Exception {
    String topic = "trips-predict";
    STACK.createTopic(topic, 2);
    List<TaxiTrip> trips = distinctTripsInEventTimeOrder(250);
    List<TaxiTrip> first = trips.subList(0, 150);
    List<TaxiTrip> second = trips.subList(150, 250);

    List<ProducerRecord<byte[], byte[]>> batch1 = records(topic, first);
    batch1.add(malformed(topic, 0, "{\"fare\":3.0,\"trip_start_timestamp\":"));
    batch1.add(malformed(topic, 1, "{\"fare\":3.0}"));
    batch1.add(malformed(topic, 1, "not json"));
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
                "--modelStore=" + store,
                "--modelPollSeconds=1",
                "--follow=true",
                "--idleTimeoutSeconds=1")
            .as(PredictTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    PipelineResult run = PredictTips.run(options);
    try {
      awaitRecords(topic, 153, 60);

      // Publish v2 (same booster, new version) while the pipeline runs, then let one poll
      // interval (1 s) pass so that the next batch looks for it: a deliberate wait for the
      // interval, not for a result.
      try (ModelStore s = ModelStore.open(store)) {
        s.publish(ExportModel.MODEL, V2, s.read(ExportModel.MODEL, V1));
      }
      Thread.sleep(1_500);

      List<ProducerRecord<byte[], byte[]>> batch2 = records(topic, second);
      batch2.add(malformed(topic, 0, "{\"trip_start_timestamp\":\"yesterday\"}"));
      batch2.add(malformed(topic, 1, "[]"));
      STACK.send(batch2);
      awaitRecords(topic, 255, 60);
      long scored = counter(run, "tripsScored");
      long calls = counter(run, "predictCalls");
      System.err.printf("PredictTipsIT: %d trips scored in %d predict calls%n", scored, calls);
      assertThat(calls, lessThanOrEqualTo(scored));
    } finally {
      run.cancel();
    }

    List<ConsumerRecord<byte[], byte[]>> predictions = STACK.readAll(topic + "-predictions");
    assertThat(predictions, hasSize(250));
    assertThat(STACK.readAll(topic + "-dead-letters"), hasSize(5));

    Map<String, Float> alone = oneByOne(trips);
    Set<String> firstIds = ids(first);
    Set<String> secondIds = ids(second);
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : predictions) {
      JsonNode p = JSON.readTree(r.value());
      String id = p.get("tripId").asText();
      assertThat("one prediction per trip: " + id, seen.add(id), equalTo(true));
      assertThat(new String(r.key(), UTF_8), equalTo(id));
      assertThat(p.get("model").asText(), equalTo("taxi-tips"));
      assertThat(p.get("version").asText(), equalTo(firstIds.contains(id) ? V1 : V2));
      assertThat(firstIds.contains(id) || secondIds.contains(id), equalTo(true));
      assertThat(p.get("probability").asDouble(), closeTo(alone.get(id), 1e-6));
      assertThat(p.get("latencyMs").asLong(), lessThanOrEqualTo(60_000L));
    }

    // Monitoring: records of closed windows; their predictions are a subset of all predictions.
    List<ConsumerRecord<byte[], byte[]>> monitoring = STACK.readAll(topic + "-monitoring");
    assertThat(monitoring.size(), greaterThan(0));
    long monitored = 0;
    long onTimeWithLag = 0;
    boolean fareDrift = false;
    for (ConsumerRecord<byte[], byte[]> r : monitoring) {
      JsonNode m = JSON.readTree(r.value());
      monitored += m.get("predictions").asLong();
      // Every closed window with predictions reports its watermark lag (event time, >= 0).
      if (m.get("timing").asText().equals("ON_TIME") && m.get("predictions").asLong() > 0) {
        assertThat(m.get("watermarkLagMs").isNumber(), equalTo(true));
        assertThat(m.get("watermarkLagMs").asLong(), greaterThanOrEqualTo(0L));
        onTimeWithLag++;
        System.out.println(
            "window " + m.get("windowStart").asText() + " lag " + m.get("watermarkLagMs"));
      }
      for (JsonNode d : m.get("drift")) {
        fareDrift |= d.get("feature").asText().equals("fare") && d.has("psi");
      }
    }
    assertThat(monitored, lessThanOrEqualTo(250L));
    assertThat(onTimeWithLag, greaterThan(0L));
    assertThat(fareDrift, equalTo(true));
  }

  private static long counter(PipelineResult run, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ScoreTrips.class, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** Waits until predictions + dead letters reach {@code count}. */
  private static void awaitRecords(String topic, int count, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int seen = 0;
    while (System.nanoTime() < deadline) {
      seen =
          STACK.readAll(topic + "-predictions").size()
              + STACK.readAll(topic + "-dead-letters").size();
      if (seen >= count) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("only " + seen + " of " + count + " records in " + seconds + " s");
  }

  /** The first {@code n} trips of the sample with distinct ids and a trip start, by start time. */
  private static List<TaxiTrip> distinctTripsInEventTimeOrder(int n) throws Exception {
    List<TaxiTrip> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips(), UTF_8)) {
      if (out.size() == n) {
        break;
      }
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip t = TaxiTripCsv.parse(line);
        TaxiTripJson.parse(TaxiTripJson.toJson(t)); // a valid trip event
        if (ids.add(TripSplit.tripId(t))) {
          out.add(t);
        }
      } catch (MalformedTripException e) {
        // Not a valid trip event: not part of the fixture.
      }
    }
    out.sort(Comparator.comparing(TaxiTrip::tripStart));
    return out;
  }

  private static List<ProducerRecord<byte[], byte[]>> records(String topic, List<TaxiTrip> trips) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (TaxiTrip t : trips) {
      int partition = Math.floorMod(TripSplit.tripId(t).hashCode(), 2);
      out.add(
          new ProducerRecord<>(
              topic, partition, t.tripStart().toEpochMilli(), null, TaxiTripJson.toJson(t)));
    }
    return out;
  }

  private static ProducerRecord<byte[], byte[]> malformed(String topic, int partition, String v) {
    return new ProducerRecord<>(topic, partition, null, v.getBytes(UTF_8));
  }

  private static Set<String> ids(List<TaxiTrip> trips) {
    Set<String> out = new HashSet<>();
    trips.forEach(t -> out.add(TripSplit.tripId(t)));
    return out;
  }

  /** Each trip scored alone by v1's files (v2 has the same booster). */
  private static Map<String, Float> oneByOne(List<TaxiTrip> trips) throws Exception {
    Map<String, byte[]> files;
    try (ModelStore s = ModelStore.open(store)) {
      files = s.read(ExportModel.MODEL, V1);
    }
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ExportModel.FEATURE_SPEC_FILE), UTF_8)));
    Map<String, Float> out = new HashMap<>();
    for (TaxiTrip t : trips) {
      out.put(
          TripSplit.tripId(t),
          TipModelTrainer.predict(
              files.get(ExportModel.MODEL_FILE), features.vector(t), features.length())[0]);
    }
    return out;
  }
}
