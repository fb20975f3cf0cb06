package dev.tidemark.runners.eventlog;

import static dev.tidemark.runners.eventlog.TripEvents.record;
import static dev.tidemark.runners.eventlog.TripEvents.trip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.pipelines.KafkaTripsPerAreaHour;
import dev.tidemark.runners.stack.LocalStackResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The Kappa speed layer following a real broker live, with late trips injected: nothing is dropped
 * silently. Trips on time are counted in their hour; a trip that arrives after its hour closed is
 * captured on {@code <output topic>-late} with its window and the reason; a malformed record is a
 * dead letter; and {@code trip events in = counted + dead letters + late + still in open windows},
 * exactly. (Before the windowing library ran this pipeline, such a trip vanished.)
 */
public class LateTripsIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** On time, late after its hour closed, malformed, and one still open at the end. */
  @Test
  public void lateTripsAreCapturedAndEveryEventIsAccountedFor() throws Exception {
    String topic = "trips-late";
    STACK.createTopic(topic, 1);
    STACK.createTopic(topic + "-totals-late", 1);
    STACK.send(
        List.of(
            record(topic, 0, trip(8, "09:05", "12.5")),
            record(topic, 0, trip(8, "09:20", "7.25")),
            record(topic, 0, trip(32, "09:40", "30")),
            record(topic, 0, "{\"fare\":3.0,\"trip_start_timestamp\":"),
            // Moves the watermark (max event time - 60 s) past 10:00: the 09:00 hour closes.
            record(topic, 0, trip(8, "12:00", "5"))));

    KafkaTripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--follow=true",
                "--maxDelaySeconds=60",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + topic,
                "--deadLetterTopic=" + topic + "-dead-letters",
                "--outputTopic=" + topic + "-totals")
            .as(KafkaTripsPerAreaHour.Options.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    PipelineResult run = KafkaTripsPerAreaHour.run(options);
    try {
      awaitKeys(topic + "-totals", 2, 60); // the 09:00 totals of areas 8 and 32
      // Six hours late for a window that closed: captured, not counted.
      STACK.send(List.of(record(topic, 0, trip(8, "09:50", "3"))));
      // Closes the 12:00 hour; its own hour (15:00) stays open.
      STACK.send(List.of(record(topic, 0, trip(32, "15:00", "1"))));
      awaitKeys(topic + "-totals", 3, 60);
      awaitRecords(topic + "-totals-late", 1, 60);
    } finally {
      run.cancel();
    }

    Map<String, String> totals = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic + "-totals")) {
      totals.put(new String(r.key(), UTF_8), new String(r.value(), UTF_8));
    }
    assertThat(
        new ArrayList<>(totals.values()),
        containsInAnyOrder(
            "8,2013-03-07T09:00:00Z,2,19.75",
            "32,2013-03-07T09:00:00Z,1,30.00",
            "8,2013-03-07T12:00:00Z,1,5.00"));

    List<ConsumerRecord<byte[], byte[]>> late = STACK.readAll(topic + "-totals-late");
    assertThat(late.size(), equalTo(1));
    JsonNode l = JSON.readTree(late.get(0).value());
    assertThat(l.get("step").asText(), equalTo("CountTripsPerAreaHour"));
    assertThat(l.get("element").toString(), equalTo("{\"pickup_area\":\"8\",\"fare_cents\":300}"));
    assertThat(l.get("eventTime").asText(), equalTo("2013-03-07T09:50:00Z"));
    assertThat(l.get("window").get("start").asText(), equalTo("2013-03-07T09:00:00Z"));
    assertThat(l.get("window").get("end").asText(), equalTo("2013-03-07T10:00:00Z"));
    assertThat(
        l.get("reason").asText(),
        org.hamcrest.Matchers.startsWith(
            "window [2013-03-07T09:00:00.000Z..2013-03-07T10:00:00.000Z) expired at"
                + " 2013-03-07T09:59:59.999Z (end + 0 allowed lateness); watermark was"));

    int deadLetters = STACK.readAll(topic + "-dead-letters").size();
    assertThat(deadLetters, equalTo(1));
    long counted = 0;
    for (String csv : totals.values()) {
      counted += Long.parseLong(csv.split(",")[2]);
    }
    int stillOpen = 1; // the 15:00 trip: its hour has not closed
    int eventsIn = 7;
    assertThat(
        "in = counted + dead letters + late + still open",
        counted + deadLetters + late.size() + stillOpen,
        equalTo((long) eventsIn));
  }

  private static void awaitKeys(String topic, int keys, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      Map<String, Boolean> seen = new LinkedHashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic)) {
        seen.put(new String(r.key(), UTF_8), true);
      }
      if (seen.size() >= keys) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "fewer than " + keys + " keys on " + topic + " after " + seconds + " s");
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
}
