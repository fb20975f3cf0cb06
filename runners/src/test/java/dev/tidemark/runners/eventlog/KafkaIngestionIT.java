package dev.tidemark.runners.eventlog;

import static dev.tidemark.runners.eventlog.TripEvents.record;
import static dev.tidemark.runners.eventlog.TripEvents.trip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.pipelines.KafkaTripsPerAreaHour;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Trip events on a real broker: a bounded replay of the topic counts every record as parsed or
 * dead-lettered, exactly; the dead-letter topic keeps the original bytes, the reason and the source
 * position; the totals land on the versioned output topic.
 */
public class KafkaIngestionIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();

  /** Six trips and three malformed records over two partitions: 6 parsed + 3 dead letters. */
  @Test
  public void replayCountsEveryRecordAsParsedOrDeadLettered() throws Exception {
    String topic = "trips-ingest";
    STACK.createTopic(topic, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(record(topic, 0, trip(8, "19:05", "12.5")));
    records.add(record(topic, 0, trip(8, "19:20", "7.25")));
    records.add(record(topic, 0, "{\"fare\":3.0,\"trip_start_timestamp\":")); // offset 2
    records.add(record(topic, 0, trip(8, "20:10", "0")));
    records.add(record(topic, 1, trip(32, "19:40", "30")));
    records.add(record(topic, 1, "{\"fare\":3.0}")); // offset 1
    records.add(record(topic, 1, trip(32, "19:45", "10")));
    records.add(record(topic, 1, trip(90, "19:50", "10"))); // offset 3: no area 90
    records.add(record(topic, 1, trip(8, "19:55", "4.75")));
    STACK.send(records);

    KafkaTripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + topic,
                "--deadLetterTopic=" + topic + "-dead-letters",
                "--outputTopic=" + topic + "-totals-v1")
            .as(KafkaTripsPerAreaHour.Options.class);
    PipelineResult result = KafkaTripsPerAreaHour.run(options);
    assertThat(
        result.waitUntilFinish(Duration.standardSeconds(60)), equalTo(PipelineResult.State.DONE));

    assertThat(counter(result, "tripEventsParsed"), equalTo(6L));
    assertThat(counter(result, "tripEventsRejected"), equalTo(3L));

    List<String> deadLetters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic + "-dead-letters")) {
      deadLetters.add(
          header(r, WriteRejects.SOURCE_TOPIC)
              + "/"
              + header(r, WriteRejects.SOURCE_PARTITION)
              + "@"
              + header(r, WriteRejects.SOURCE_OFFSET)
              + " "
              + header(r, WriteRejects.REASON)
              + " | "
              + new String(r.value(), UTF_8));
    }
    assertThat(
        deadLetters,
        containsInAnyOrder(
            "trips-ingest/0@2 the event is not valid JSON: Unexpected end-of-input within/between"
                + " Object entries | {\"fare\":3.0,\"trip_start_timestamp\":",
            "trips-ingest/1@1 trip_start_timestamp is missing | {\"fare\":3.0}",
            "trips-ingest/1@3 pickup_community_area is out of range 1..77: 90 | "
                + trip(90, "19:50", "10")));

    List<String> totals = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : STACK.readAll(topic + "-totals-v1")) {
      totals.add(new String(r.key(), UTF_8) + " -> " + new String(r.value(), UTF_8));
    }
    assertThat(
        totals,
        containsInAnyOrder(
            "8|2013-03-07T19:00:00Z -> 8,2013-03-07T19:00:00Z,3,24.50",
            "8|2013-03-07T20:00:00Z -> 8,2013-03-07T20:00:00Z,1,0.00",
            "32|2013-03-07T19:00:00Z -> 32,2013-03-07T19:00:00Z,2,40.00"));
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), UTF_8);
  }

  static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ParseTripEvents.class, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
