package dev.tidemark.pipelines.kafka;

import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Creates a {@link BoundedDisorderTimestampPolicy} per partition; the policies of one factory share
 * a {@link PartitionFrontier}, so that idle partitions follow the others.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class BoundedDisorderTimestampPolicyFactory<K, V>
    implements TimestampPolicyFactory<K, V> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<KafkaRecord<K, V>, Instant> eventTime;
  private final Duration maxDelay;
  private final Duration idleTimeout;
  private final String groupId = UUID.randomUUID().toString();

  /**
   * @param eventTime the event time of a record, or null when it cannot be read
   * @param maxDelay how far behind the latest event time an event may arrive and still be on time
   * @param idleTimeout processing time without records after which a caught-up partition is idle
   */
  public BoundedDisorderTimestampPolicyFactory(
      SerializableFunction<KafkaRecord<K, V>, Instant> eventTime,
      Duration maxDelay,
      Duration idleTimeout) {
    this.eventTime = eventTime;
    this.maxDelay = maxDelay;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public TimestampPolicy<K, V> createTimestampPolicy(
      TopicPartition tp, Optional<Instant> previousWatermark) {
    return new BoundedDisorderTimestampPolicy<>(
        tp,
        previousWatermark,
        eventTime,
        maxDelay,
        idleTimeout,
        PartitionFrontier.of(groupId),
        System::nanoTime);
  }
}
