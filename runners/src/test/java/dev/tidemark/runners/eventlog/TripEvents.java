package dev.tidemark.runners.eventlog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Test vocabulary of trip events on 2013-03-07 (UTC): {@code trip(area, "19:05", fare)} is a JSON
 * event of a trip from that community area starting at that time.
 */
final class TripEvents {

  private TripEvents() {}

  /** Unix seconds of {@code hh:mm} on 2013-03-07 UTC. */
  static long at(String hhmm) {
    return Instant.parse("2013-03-07T" + hhmm + ":00Z").getEpochSecond();
  }

  /** The JSON of a trip from {@code area} starting at {@code hhmm} with {@code fare}. */
  static String trip(int area, String hhmm, String fare) {
    return "{\"pickup_community_area\":"
        + area
        + ",\"fare\":"
        + fare
        + ",\"trip_start_timestamp\":"
        + at(hhmm)
        + ",\"payment_type\":\"Cash\"}";
  }

  /** A record of {@code json} for partition {@code partition} of {@code topic}. */
  static ProducerRecord<byte[], byte[]> record(String topic, int partition, String json) {
    return new ProducerRecord<>(topic, partition, null, json.getBytes(UTF_8));
  }
}
