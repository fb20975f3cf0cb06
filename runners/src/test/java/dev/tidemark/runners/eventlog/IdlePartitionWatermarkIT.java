package dev.tidemark.runners.eventlog;

import static dev.tidemark.runners.eventlog.TripEvents.record;
import static dev.tidemark.runners.eventlog.TripEvents.trip;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;

import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.pipelines.kafka.TripStartTimeFn;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * On a real broker, a topic with two partitions where only partition 0 receives trips: with Beam's
 * {@code CustomTimestampPolicyWithLimitedDelay} the empty partition keeps the reader's watermark at
 * the beginning of time and no hourly window ever closes; with Tidemark's {@code
 * BoundedDisorderTimestampPolicy} the empty partition follows partition 0 once idle, and the
 * windows behind {@code max event time - 2 minutes} close.
 */
public class IdlePartitionWatermarkIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();

  private static final Duration MAX_DELAY = Duration.standardMinutes(2);

  /** What the running pipelines saw, by run and kind; the DirectRunner runs in this JVM. */
  private static final Map<String, Queue<String>> SEEN = new ConcurrentHashMap<>();

  /** Trips on partition 0 only; the latest starts at 21:30, so the watermark can reach 21:28. */
  private static void sendTripsToPartitionZeroOnly(String topic) throws Exception {
    STACK.createTopic(topic, 2);
    STACK.send(
        List.of(
            record(topic, 0, trip(8, "19:05", "12.5")),
            record(topic, 0, trip(8, "19:20", "7.25")),
            record(topic, 0, trip(8, "20:10", "10")),
            record(topic, 0, trip(8, "21:30", "5"))));
  }

  /** The idle-aware policy closes the 19:00 and 20:00 windows though partition 1 is empty. */
  @Test
  public void idleAwarePolicyAdvancesPastTheEmptyPartition() throws Exception {
    String topic = "trips-idle-tidemark";
    sendTripsToPartitionZeroOnly(topic);
    PipelineResult run =
        start(
            topic,
            ReadTripEvents.follow(
                STACK.bootstrap(), topic, MAX_DELAY, Duration.standardSeconds(1)));
    try {
      Queue<String> totals = seen(topic, "totals");
      awaitSize(totals, 2, 45);
      assertThat(
          new ArrayList<>(totals),
          containsInAnyOrder("8,2013-03-07T19:00:00Z,2,19.75", "8,2013-03-07T20:00:00Z,1,10.00"));
    } finally {
      run.cancel();
    }
  }

  /**
   * Beam's policy reads all four trips, yet no window closes: the empty partition holds the
   * watermark at the beginning of time.
   */
  @Test
  public void upstreamPolicyIsStuckOnTheEmptyPartition() throws Exception {
    String topic = "trips-idle-upstream";
    sendTripsToPartitionZeroOnly(topic);
    PipelineResult run =
        start(
            topic,
            ReadTripEvents.follow(STACK.bootstrap(), topic, MAX_DELAY, Duration.standardSeconds(1))
                .withTimestampPolicyFactory(new UpstreamPolicyFactory(MAX_DELAY)));
    try {
      awaitSize(seen(topic, "read"), 4, 45);
      // All records are in; give the upstream idle rule (2 s) and several watermark rounds time.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      while (System.nanoTime() < until) {
        assertThat(new ArrayList<>(seen(topic, "totals")), empty());
        Thread.sleep(250);
      }
    } finally {
      run.cancel();
    }
  }

  private static PipelineResult start(String topic, ReadTripEvents read) {
    DirectOptions options =
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--blockOnRun=false")
            .as(DirectOptions.class);
    options.setEnforceImmutability(false);
    Pipeline p = Pipeline.create(options);
    PCollection<LogRecord> records = p.apply("ReadTripEvents", read);
    records.apply("NoteRead", ParDo.of(new NoteReadFn(topic)));
    records
        .apply("ParseTripEvents", new ParseTripEvents())
        .get(ParseTripEvents.TRIPS)
        .apply("CountTripsPerAreaHour", CountTripsPerAreaHour.perHour())
        .get(CountTripsPerAreaHour.TOTALS)
        .apply("NoteTotal", ParDo.of(new NoteTotalFn(topic)));
    return p.run();
  }

  private static Queue<String> seen(String run, String kind) {
    return SEEN.computeIfAbsent(run + "/" + kind, k -> new ConcurrentLinkedQueue<>());
  }

  private static void awaitSize(Queue<String> q, int size, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (q.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(new ArrayList<>(q), hasSize(size));
  }

  /** Notes the position of every record read. */
  static final class NoteReadFn extends DoFn<LogRecord, Void> {
    private final String run;

    NoteReadFn(String run) {
      this.run = run;
    }

    @ProcessElement
    public void processElement(@Element LogRecord r) {
      seen(run, "read").add(r.position().toString());
    }
  }

  /** Notes every emitted total. */
  static final class NoteTotalFn extends DoFn<AreaHourTotal, Void> {
    private final String run;

    NoteTotalFn(String run) {
      this.run = run;
    }

    @ProcessElement
    public void processElement(@Element AreaHourTotal t) {
      seen(run, "totals").add(t.toCsv());
    }
  }

  /** Beam's own {@code CustomTimestampPolicyWithLimitedDelay}, event time from the payload. */
  static final class UpstreamPolicyFactory implements TimestampPolicyFactory<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final Duration maxDelay;

    UpstreamPolicyFactory(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new CustomTimestampPolicyWithLimitedDelay<>(
          new TripStartTimeFn(), maxDelay, previousWatermark);
    }
  }
}
