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
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.TrainTaxiTips;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.testing.SampleData;
import dev.tidemark.transforms.inference.ScoreTrips;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    List<TaxiTrip> trips = TripTopics.distinctTripsInEventTimeOrder(250);
    List<TaxiTrip> first = trips.subList(0, 150);
    List<TaxiTrip> second = trips.subList(150, 250);

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
                "--modelStore=" + store,
                "--modelPollSeconds=1",
                "--follow=true",
                "--idleTimeoutSeconds=1")
            .as(PredictTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    PipelineResult run = PredictTips.run(options);
    try {
      TripTopics.awaitOutputs(STACK, topic, 153, 60);

      // Publish v2 (same booster, new version) while the pipeline runs, then let one poll
      // interval (1 s) pass so that the next batch looks for it: a deliberate wait for the
      // interval, not for a result.
      try (ModelStore s = ModelStore.open(store)) {
        s.publish(ModelFiles.TAXI_TIPS, V2, s.read(ModelFiles.TAXI_TIPS, V1));
      }
      Thread.sleep(1_500);

      List<ProducerRecord<byte[], byte[]>> batch2 = TripTopics.records(topic, second);
      batch2.add(TripTopics.malformed(topic, 0, "{\"trip_start_timestamp\":\"yesterday\"}"));
      batch2.add(TripTopics.malformed(topic, 1, "[]"));
      STACK.send(batch2);
      TripTopics.awaitOutputs(STACK, topic, 255, 60);
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

    // Each trip scored alone by v1's files (v2 has the same booster).
    Map<String, Float> alone;
    try (ModelStore s = ModelStore.open(store)) {
      alone = TripTopics.offlineScores(s, V1, trips);
    }
    Set<String> firstIds = TripTopics.ids(first);
    Set<String> secondIds = TripTopics.ids(second);
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

  /**
   * Late trips injected into the live pipeline: every trip event is one prediction or one dead
   * letter, and every prediction and dead letter is in exactly one monitoring pane, captured on
   * {@code <monitoring topic>-late} with its window and the reason, or in the window still open at
   * the end: {@code in = monitored + too late + still open}, exactly. Windows of 5 minutes, no
   * allowed lateness; the watermark trails the newest trip by 60 s.
   */
  @Test
  public void tooLateTripsAreCapturedAndEveryEventIsAccountedForInMonitoring() throws Exception {
    String topic = "trips-predict-late";
    STACK.createTopic(topic, 1);
    STACK.createTopic(topic + "-monitoring-late", 1);
    STACK.send(
        List.of(
            json(topic, trip(8, "09:00", "12.5")),
            json(topic, trip(8, "09:01", "7.25")),
            json(topic, trip(32, "09:02", "30")),
            json(topic, "{\"fare\":3.0,\"trip_start_timestamp\":"),
            // Moves the watermark past 09:05 and 09:05's lateness: the 09:00 window expires.
            json(topic, trip(8, "12:00", "5"))));
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
                "--allowedLateness=0s",
                "--maxDelaySeconds=60",
                "--modelStore=" + store,
                "--follow=true")
            .as(PredictTips.Options.class);
    options.as(DirectOptions.class).setEnforceImmutability(false);
    PipelineResult run = PredictTips.run(options);
    try {
      TripTopics.awaitOutputs(STACK, topic, 5, 60);
      awaitRecords(topic + "-monitoring", 1, 60); // the 09:00 window closed
      // Three hours too late for the 09:00 window: predicted, but captured for monitoring.
      STACK.send(List.of(json(topic, trip(8, "09:03", "3"))));
      // Closes the 12:00 window; its own window (15:00) stays open.
      STACK.send(List.of(json(topic, trip(32, "15:00", "1"))));
      awaitRecords(topic + "-monitoring-late", 1, 60);
      TripTopics.awaitOutputs(STACK, topic, 7, 60);
      awaitMonitored(topic + "-monitoring", 5, 60);
    } finally {
      run.cancel();
    }
    int eventsIn = 7;
    int predictions = STACK.readAll(topic + "-predictions").size();
    int deadLetters = STACK.readAll(topic + "-dead-letters").size();
    assertThat(predictions, equalTo(6));
    assertThat(deadLetters, equalTo(1));

    List<ConsumerRecord<byte[], byte[]>> late = STACK.readAll(topic + "-monitoring-late");
    assertThat(late, hasSize(1));
    JsonNode l = JSON.readTree(late.get(0).value());
    assertThat(l.get("step").asText(), equalTo("MonitorPredictions"));
    assertThat(l.get("element").get("event").asText(), equalTo("prediction"));
    assertThat(l.get("eventTime").asText(), equalTo("2013-03-07T09:03:00Z"));
    assertThat(l.get("window").get("start").asText(), equalTo("2013-03-07T09:00:00Z"));
    assertThat(l.get("window").get("end").asText(), equalTo("2013-03-07T09:05:00Z"));
    assertThat(l.get("reason").asText().startsWith("window [2013-03-07T09:00"), equalTo(true));

    long monitored = monitored(topic + "-monitoring");
    int stillOpen = 1; // the 15:00 trip
    assertThat(
        "in = monitored + too late + still open",
        monitored + late.size() + stillOpen,
        equalTo((long) eventsIn));
  }

  /** Predictions plus dead letters over every monitoring record of {@code topic}. */
  private static long monitored(String topic) throws Exception {
    long n = 0;
    for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic)) {
      JsonNode m = JSON.readTree(r.value());
      n += m.get("predictions").asLong() + m.get("deadLetters").asLong();
    }
    return n;
  }

  private static void awaitMonitored(String topic, long events, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && monitored(topic) < events) {
      Thread.sleep(500);
    }
  }

  private static void awaitRecords(String topic, int records, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (STACK.readAll(topic).size() >= records) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "fewer than " + records + " records on " + topic + " after " + seconds + " s");
  }

  /** A trip event on 2013-03-07 at {@code hhmm} (UTC), paid cash. */
  private static String trip(int area, String hhmm, String fare) {
    return "{\"pickup_community_area\":"
        + area
        + ",\"fare\":"
        + fare
        + ",\"trip_start_timestamp\":"
        + java.time.Instant.parse("2013-03-07T" + hhmm + ":00Z").getEpochSecond()
        + ",\"payment_type\":\"Cash\"}";
  }

  private static ProducerRecord<byte[], byte[]> json(String topic, String value) {
    return new ProducerRecord<>(topic, 0, null, value.getBytes(UTF_8));
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
}
