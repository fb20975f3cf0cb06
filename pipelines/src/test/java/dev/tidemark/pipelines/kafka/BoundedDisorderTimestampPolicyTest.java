package dev.tidemark.pipelines.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Specification of the per-partition watermark of trip events, next to Beam's {@code
 * CustomTimestampPolicyWithLimitedDelay} on the same inputs. Processing time is a fake clock.
 */
public class BoundedDisorderTimestampPolicyTest {

  private static final Duration MAX_DELAY = Duration.standardMinutes(2);
  private static final Duration IDLE_TIMEOUT = Duration.standardSeconds(5);

  private static final TopicPartition BUSY = new TopicPartition("trips", 0);
  private static final TopicPartition EMPTY = new TopicPartition("trips", 1);

  /** Named event times on 2013-03-07 (UTC), when the replayed trips happened. */
  private static final Instant T_19_00 = Instant.parse("2013-03-07T19:00:00Z");

  private static final Instant T_19_30 = Instant.parse("2013-03-07T19:30:00Z");
  private static final Instant T_19_10 = Instant.parse("2013-03-07T19:10:00Z");

  private final AtomicLong nanos = new AtomicLong(0);
  private final PartitionFrontier frontier = PartitionFrontier.isolated();

  private BoundedDisorderTimestampPolicy<byte[], byte[]> policy(TopicPartition tp) {
    return new BoundedDisorderTimestampPolicy<>(
        tp, Optional.empty(), new TripStartTimeFn(), MAX_DELAY, IDLE_TIMEOUT, frontier, nanos::get);
  }

  private static KafkaRecord<byte[], byte[]> trip(TopicPartition tp, long offset, Instant start) {
    return record(
        tp, offset, "{\"fare\":9.25,\"trip_start_timestamp\":" + start.getMillis() / 1000 + "}");
  }

  private static KafkaRecord<byte[], byte[]> record(TopicPartition tp, long offset, String value) {
    return new KafkaRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        System.currentTimeMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        null,
        value.getBytes(UTF_8));
  }

  /** A partition context with the given backlog, checked now. */
  private static TimestampPolicy.PartitionContext backlog(long messages) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return messages;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return Instant.now();
      }
    };
  }

  private void advanceProcessingTime(Duration d) {
    nanos.addAndGet(d.getMillis() * 1_000_000L);
  }

  /** Records are stamped with their trip start; the watermark trails the latest by the delay. */
  @Test
  public void watermarkIsLatestEventTimeMinusMaxDelay() {
    BoundedDisorderTimestampPolicy<byte[], byte[]> busy = policy(BUSY);
    assertThat(busy.getTimestampForRecord(backlog(2), trip(BUSY, 0, T_19_00)), equalTo(T_19_00));
    assertThat(busy.getTimestampForRecord(backlog(1), trip(BUSY, 1, T_19_30)), equalTo(T_19_30));
    // An event 20 minutes out of order keeps its own time and does not move the watermark back.
    assertThat(busy.getTimestampForRecord(backlog(0), trip(BUSY, 2, T_19_10)), equalTo(T_19_10));
    assertThat(busy.getWatermark(backlog(0)), equalTo(Instant.parse("2013-03-07T19:28:00Z")));
  }

  /** A partition that never received a record follows the others once it has been idle. */
  @Test
  public void neverReceivedPartitionFollowsTheOthersOnceIdle() {
    BoundedDisorderTimestampPolicy<byte[], byte[]> busy = policy(BUSY);
    BoundedDisorderTimestampPolicy<byte[], byte[]> empty = policy(EMPTY);
    busy.getTimestampForRecord(backlog(1), trip(BUSY, 0, T_19_00));
    busy.getTimestampForRecord(backlog(0), trip(BUSY, 1, T_19_30));
    busy.getWatermark(backlog(0));

    // Not idle yet: the empty partition holds the reader's watermark back, as it should.
    assertThat(empty.getWatermark(backlog(0)), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));

    advanceProcessingTime(Duration.standardSeconds(6));
    assertThat(empty.getWatermark(backlog(0)), equalTo(Instant.parse("2013-03-07T19:28:00Z")));
  }

  /** An idle partition never moves past the data: it does not jump to wall-clock time. */
  @Test
  public void idlePartitionNeverJumpsToWallClockTime() {
    BoundedDisorderTimestampPolicy<byte[], byte[]> busy = policy(BUSY);
    busy.getTimestampForRecord(backlog(0), trip(BUSY, 0, T_19_30));
    advanceProcessingTime(Duration.standardMinutes(10));
    assertThat(busy.getWatermark(backlog(0)), equalTo(Instant.parse("2013-03-07T19:28:00Z")));
  }

  /** A partition with a backlog is not idle, however long it has not delivered a record. */
  @Test
  public void partitionWithBacklogIsNotIdle() {
    BoundedDisorderTimestampPolicy<byte[], byte[]> busy = policy(BUSY);
    BoundedDisorderTimestampPolicy<byte[], byte[]> lagging = policy(EMPTY);
    busy.getTimestampForRecord(backlog(0), trip(BUSY, 0, T_19_30));
    busy.getWatermark(backlog(0));
    advanceProcessingTime(Duration.standardSeconds(30));
    assertThat(lagging.getWatermark(backlog(500)), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
  }

  /** A record whose event time cannot be read is stamped with the watermark: never late. */
  @Test
  public void unreadableRecordIsStampedWithTheWatermark() {
    BoundedDisorderTimestampPolicy<byte[], byte[]> busy = policy(BUSY);
    busy.getTimestampForRecord(backlog(1), trip(BUSY, 0, T_19_30));
    busy.getWatermark(backlog(1));
    assertThat(
        busy.getTimestampForRecord(backlog(0), record(BUSY, 1, "{not json")),
        equalTo(Instant.parse("2013-03-07T19:28:00Z")));
  }

  /**
   * The upstream policy on the same inputs: the partition that never received a record keeps its
   * watermark at the beginning of time (the reader's watermark is stuck), and the idle busy
   * partition jumps to wall-clock time, years past the 2013 data (Beam 2.70.0's behaviour).
   */
  @Test
  public void upstreamPolicyIsStuckOnEmptyPartitionAndJumpsToWallClock() {
    CustomTimestampPolicyWithLimitedDelay<byte[], byte[]> busy =
        new CustomTimestampPolicyWithLimitedDelay<>(
            new TripStartTimeFn(), MAX_DELAY, Optional.empty());
    CustomTimestampPolicyWithLimitedDelay<byte[], byte[]> empty =
        new CustomTimestampPolicyWithLimitedDelay<>(
            new TripStartTimeFn(), MAX_DELAY, Optional.empty());
    busy.getTimestampForRecord(backlog(0), trip(BUSY, 0, T_19_30));
    assertThat(busy.getWatermark(backlog(1)), equalTo(Instant.parse("2013-03-07T19:28:00Z")));

    assertThat(empty.getWatermark(backlog(0)), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
    // Caught up (no backlog): the upstream policy compares the 2013 events with the wall clock,
    // finds them more than 2 s old, and declares the busy partition idle at once.
    assertThat(empty.getWatermark(backlog(0)), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertThat(busy.getWatermark(backlog(0)), greaterThan(Instant.parse("2026-01-01T00:00:00Z")));
  }
}
