package dev.tidemark.pipelines.kafka;

import dev.tidemark.core.trip.TaxiTripJson;
import java.util.OptionalLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/** The event time of a JSON trip event: its {@code trip_start_timestamp}, or null if unreadable. */
public final class TripStartTimeFn
    implements SerializableFunction<KafkaRecord<byte[], byte[]>, Instant> {
  private static final long serialVersionUID = 1L;

  @Override
  public Instant apply(KafkaRecord<byte[], byte[]> record) {
    OptionalLong start = TaxiTripJson.tripStartSeconds(record.getKV().getValue());
    return start.isPresent() ? Instant.ofEpochSecond(start.getAsLong()) : null;
  }
}
