package dev.tidemark.pipelines.kafka;

import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.eventlog.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads trip events from a Kafka topic as {@link LogRecord}s stamped with their event time (the
 * trip start), in one of two modes that feed the same downstream steps:
 *
 * <ul>
 *   <li>{@link #follow}: from the beginning of the topic, then live, never ending; the watermark is
 *       per partition with bounded out-of-orderness and idle partitions follow the others ({@link
 *       BoundedDisorderTimestampPolicy});
 *   <li>{@link #replay}: the retained log from the beginning (or a time) up to the offsets it has
 *       when the replay is planned, then the pipeline ends (Kappa: reprocess history with new
 *       code). The watermark is held until the end of the range, so a replay has batch semantics:
 *       no event is late, and two replays of the same range agree exactly ({@link
 *       HoldUntilEndWatermarkEstimator}; a bounded-disorder estimator made late-data drops depend
 *       on timing, and two versions' outputs differed for that reason alone).
 * </ul>
 */
public final class ReadTripEvents extends PTransform<PBegin, PCollection<LogRecord>> {

  private final String bootstrapServers;
  private final String topic;
  private final Duration maxDelay;
  private final Duration idleTimeout;
  private final LogPositions positions;
  private final TimestampPolicyFactory<byte[], byte[]> policy;

  private ReadTripEvents(
      String bootstrapServers,
      String topic,
      Duration maxDelay,
      Duration idleTimeout,
      LogPositions positions,
      TimestampPolicyFactory<byte[], byte[]> policy) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.maxDelay = maxDelay;
    this.idleTimeout = idleTimeout;
    this.positions = positions;
    this.policy = policy;
  }

  /**
   * Replays the retained log (from {@code --replayFrom}, up to its current end) or follows it live
   * ({@code --follow}), as the options say.
   */
  public static ReadTripEvents from(ReadLogOptions options) {
    if (options.getFollow()) {
      return follow(
          options.getBootstrapServers(),
          options.getTripsTopic(),
          Duration.standardSeconds(options.getMaxDelaySeconds()),
          Duration.standardSeconds(options.getIdleTimeoutSeconds()));
    }
    Instant from =
        options.getReplayFrom().isBlank() ? null : Instant.parse(options.getReplayFrom());
    return replay(
        options.getBootstrapServers(),
        options.getTripsTopic(),
        LogPositions.lookUp(options.getBootstrapServers(), options.getTripsTopic(), from));
  }

  /** Follows {@code topic} live, from its beginning. */
  public static ReadTripEvents follow(
      String bootstrapServers, String topic, Duration maxDelay, Duration idleTimeout) {
    return new ReadTripEvents(
        bootstrapServers,
        topic,
        maxDelay,
        idleTimeout,
        null,
        new BoundedDisorderTimestampPolicyFactory<>(new TripStartTimeFn(), maxDelay, idleTimeout));
  }

  /** Replays {@code positions} (see {@link LogPositions#lookUp}) of {@code topic}, then ends. */
  public static ReadTripEvents replay(
      String bootstrapServers, String topic, LogPositions positions) {
    return new ReadTripEvents(
        bootstrapServers, topic, Duration.ZERO, Duration.ZERO, positions, null);
  }

  /** The same live read with another timestamp policy (to compare with Beam's own). */
  public ReadTripEvents withTimestampPolicyFactory(TimestampPolicyFactory<byte[], byte[]> other) {
    if (positions != null) {
      throw new IllegalStateException("a replay uses a watermark estimator, not a policy");
    }
    return new ReadTripEvents(bootstrapServers, topic, maxDelay, idleTimeout, null, other);
  }

  @Override
  public PCollection<LogRecord> expand(PBegin begin) {
    PCollection<KafkaRecord<byte[], byte[]>> records;
    if (positions == null) {
      records =
          begin.apply(
              "ReadTopic",
              KafkaIO.<byte[], byte[]>read()
                  .withBootstrapServers(bootstrapServers)
                  .withTopic(topic)
                  .withKeyDeserializer(ByteArrayDeserializer.class)
                  .withValueDeserializer(ByteArrayDeserializer.class)
                  .withConsumerConfigUpdates(
                      Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))
                  .withTimestampPolicyFactory(policy));
    } else {
      List<KafkaSourceDescriptor> descriptors = new ArrayList<>();
      for (Map.Entry<TopicPartition, long[]> e : positions.ranges().entrySet()) {
        descriptors.add(
            KafkaSourceDescriptor.of(
                e.getKey(), e.getValue()[0], null, e.getValue()[1], null, null));
      }
      records =
          begin
              .apply("PlanReplay", Create.of(descriptors))
              .apply(
                  "ReadTopicRange",
                  KafkaIO.<byte[], byte[]>readSourceDescriptors()
                      .withBootstrapServers(bootstrapServers)
                      .withKeyDeserializer(ByteArrayDeserializer.class)
                      .withValueDeserializer(ByteArrayDeserializer.class)
                      .withExtractOutputTimestampFn(new TripStartOrEarliestFn())
                      // Batch semantics for a bounded range: see HoldUntilEndWatermarkEstimator.
                      .withCreatWatermarkEstimatorFn(
                          new HoldUntilEndWatermarkEstimator.CreateFn()));
    }
    return records
        .apply("ToLogRecord", MapElements.via(new ToLogRecordFn()))
        .setCoder(TidemarkCoders.LOG_RECORD);
  }

  /** The trip start, or the earliest time for an unreadable record (it will be rejected). */
  static final class TripStartOrEarliestFn
      implements SerializableFunction<KafkaRecord<byte[], byte[]>, Instant> {
    private static final long serialVersionUID = 1L;
    private final TripStartTimeFn tripStart = new TripStartTimeFn();

    @Override
    public Instant apply(KafkaRecord<byte[], byte[]> record) {
      Instant t = tripStart.apply(record);
      return t == null ? BoundedWindow.TIMESTAMP_MIN_VALUE : t;
    }
  }

  /** Keeps the position and the bytes of a Kafka record. */
  static final class ToLogRecordFn extends SimpleFunction<KafkaRecord<byte[], byte[]>, LogRecord> {
    @Override
    public LogRecord apply(KafkaRecord<byte[], byte[]> r) {
      return LogRecord.at(
          new LogPosition(r.getTopic(), r.getPartition(), r.getOffset()),
          r.getKV().getKey(),
          r.getKV().getValue());
    }

    @Override
    public TypeDescriptor<LogRecord> getOutputTypeDescriptor() {
      return TypeDescriptor.of(LogRecord.class);
    }
  }
}
