package dev.tidemark.pipelines.kafka;

import dev.tidemark.core.watermark.BoundedOutOfOrderness;
import dev.tidemark.core.watermark.WatermarkPolicy;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time from the payload, and a heuristic watermark per Kafka partition that assumes bounded
 * out-of-orderness: {@code watermark = max event time seen - maxDelay}, computed by core's {@link
 * BoundedOutOfOrderness} (the policy Beam's watermark estimators in {@code transforms} adapt too).
 * Unlike Beam's {@code CustomTimestampPolicyWithLimitedDelay}, a partition that is idle (caught up
 * with the broker and without a record for {@code idleTimeout} of processing time) — including one
 * that never received a record — does not hold the reader's watermark back: it follows the highest
 * data-based watermark of the other partitions of the same reader ({@link PartitionFrontier}).
 *
 * <p>Why not wall-clock time for idle partitions (what the upstream policy does): replayed events
 * carry 2013-2016 event times; jumping an idle partition to "now" would put the watermark years
 * past data still in flight on the other partitions and make all of it late. Following the other
 * partitions' data-based watermark never moves past {@code max event time seen - maxDelay} of the
 * log. The watermark never goes back, and when every partition is idle it holds (the last windows
 * wait for more data; a bounded replay ends them instead). Risk, as with any idleness heuristic: a
 * partition that wakes up with events older than the frontier delivers them late.
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class BoundedDisorderTimestampPolicy<K, V> extends TimestampPolicy<K, V> {

  private final TopicPartition partition;
  private final SerializableFunction<KafkaRecord<K, V>, Instant> eventTime;
  private final long idleTimeoutNanos;
  private final PartitionFrontier frontier;
  private final LongSupplier nanoClock;

  private final BoundedOutOfOrderness eventTimes;
  private Instant watermark;
  private long lastRecordNanos;

  /**
   * A policy for one partition.
   *
   * @param eventTime the event time of a record, or null when it cannot be read (such a record is
   *     stamped with the current watermark, so it is never late; the parser rejects it later)
   */
  BoundedDisorderTimestampPolicy(
      TopicPartition partition,
      Optional<Instant> previousWatermark,
      SerializableFunction<KafkaRecord<K, V>, Instant> eventTime,
      Duration maxDelay,
      Duration idleTimeout,
      PartitionFrontier frontier,
      LongSupplier nanoClock) {
    this.partition = partition;
    this.eventTime = eventTime;
    this.idleTimeoutNanos = idleTimeout.getMillis() * 1_000_000L;
    this.frontier = frontier;
    this.nanoClock = nanoClock;
    // Idleness is this policy's own (idle partitions follow the others), not processing time.
    this.eventTimes =
        BoundedOutOfOrderness.of(
            java.time.Duration.ofMillis(maxDelay.getMillis()),
            BoundedOutOfOrderness.NO_IDLE_ADVANCE);
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    this.lastRecordNanos = nanoClock.getAsLong();
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<K, V> record) {
    lastRecordNanos = nanoClock.getAsLong();
    Instant t = eventTime.apply(record);
    if (t == null) {
      return watermark;
    }
    eventTimes.observe(java.time.Instant.ofEpochMilli(t.getMillis()), now());
    return t;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    Instant candidate = BoundedWindow.TIMESTAMP_MIN_VALUE;
    java.time.Instant data = eventTimes.currentWatermark(now());
    if (!data.equals(WatermarkPolicy.NO_WATERMARK)) {
      candidate = new Instant(data.toEpochMilli());
      frontier.report(partition, candidate);
    }
    boolean caughtUp = ctx.getMessageBacklog() == 0;
    boolean quiet = nanoClock.getAsLong() - lastRecordNanos >= idleTimeoutNanos;
    if (caughtUp && quiet) {
      Optional<Instant> others = frontier.highestExcept(partition);
      if (others.isPresent() && others.get().isAfter(candidate)) {
        candidate = others.get();
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  /**
   * Processing time for the core policy (only its order matters: it never advances by idleness).
   */
  private java.time.Instant now() {
    return java.time.Instant.EPOCH.plusNanos(nanoClock.getAsLong());
  }
}
