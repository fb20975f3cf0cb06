package dev.tidemark.transforms.watermark;

import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.watermark.BoundedOutOfOrderness;
import dev.tidemark.core.watermark.PerfectWatermark;
import dev.tidemark.core.watermark.WatermarkPolicy;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads {@link EventLog}s with a splittable DoFn and emits their {@link LoggedEvent}s timestamped
 * with their event times, under the watermark policy the caller chooses:
 *
 * <ul>
 *   <li>{@link #withPerfectWatermark()}: after each record the source reports the earliest event
 *       time still unread in its restriction (it knows the whole log) to a {@link
 *       PerfectWatermarkEstimator}: completeness first, no record is ever late;
 *   <li>{@link #withBoundedOutOfOrderness}: a {@link BoundedOutOfOrdernessWatermarkEstimator}
 *       observes every emitted record and guesses {@code max event time - bound}: freshness first,
 *       records more out of order than the bound are late downstream.
 * </ul>
 *
 * <p>The restriction is an {@link OffsetRange} of log offsets. The source checkpoints itself every
 * {@link #withRecordsPerCheckpoint records-per-checkpoint} records (and resumes after {@link
 * #withCheckpointDelay the checkpoint delay} of processing time): the runner learns the estimator's
 * watermark at each checkpoint, so this sets how often the watermark moves.
 *
 * <p>Metrics (namespace {@code ReadTimestampedEvents}): {@code eventsRead} (always equals the
 * number of records in the logs), {@code eventsBehindWatermark} (records read with an event time
 * before the estimator's watermark at that moment: late candidates, 0 with a perfect watermark),
 * and the watermark lag, processing time minus watermark, in milliseconds, after every record:
 * distribution {@code watermarkLagMillis} and gauge {@code currentWatermarkLagMillis}.
 *
 * <pre>{@code
 * p.apply("CreateLog", Create.of(log).withCoder(EventLog.coder()))
 *  .apply("ReadEvents", ReadTimestampedEvents.withBoundedOutOfOrderness(
 *      java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(5)));
 * }</pre>
 */
public final class ReadTimestampedEvents
    extends PTransform<PCollection<EventLog>, PCollection<LoggedEvent>> {

  /** Default number of records read between two checkpoints. */
  public static final int DEFAULT_RECORDS_PER_CHECKPOINT = 1_000;

  private final WatermarkPolicy policy;
  private final ProcessingClock clock;
  private final int recordsPerCheckpoint;
  private final Duration checkpointDelay;

  private ReadTimestampedEvents(
      WatermarkPolicy policy,
      ProcessingClock clock,
      int recordsPerCheckpoint,
      Duration checkpointDelay) {
    this.policy = policy;
    this.clock = clock;
    this.recordsPerCheckpoint = recordsPerCheckpoint;
    this.checkpointDelay = checkpointDelay;
  }

  /** Reads with the given watermark policy (its current state is the starting state). */
  public static ReadTimestampedEvents withWatermark(WatermarkPolicy policy) {
    return new ReadTimestampedEvents(
        Objects.requireNonNull(policy, "policy").copy(),
        ProcessingClock.system(),
        DEFAULT_RECORDS_PER_CHECKPOINT,
        Duration.ZERO);
  }

  /** Reads with a perfect watermark: the earliest event time still unread in the log. */
  public static ReadTimestampedEvents withPerfectWatermark() {
    return withWatermark(PerfectWatermark.create());
  }

  /** Reads with a heuristic watermark: see {@link BoundedOutOfOrderness#of}. */
  public static ReadTimestampedEvents withBoundedOutOfOrderness(
      java.time.Duration bound, java.time.Duration idleTimeout) {
    return withWatermark(BoundedOutOfOrderness.of(bound, idleTimeout));
  }

  /** Reads processing time (idle timeout, watermark lag) from {@code clock}. */
  public ReadTimestampedEvents withClock(ProcessingClock clock) {
    return new ReadTimestampedEvents(
        policy, Objects.requireNonNull(clock, "clock"), recordsPerCheckpoint, checkpointDelay);
  }

  /** Checkpoints (and so reports the watermark) after every {@code n} records. */
  public ReadTimestampedEvents withRecordsPerCheckpoint(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("records per checkpoint must be positive, got " + n);
    }
    return new ReadTimestampedEvents(policy, clock, n, checkpointDelay);
  }

  /** Resumes a checkpointed read after {@code delay} of processing time. */
  public ReadTimestampedEvents withCheckpointDelay(Duration delay) {
    return new ReadTimestampedEvents(
        policy, clock, recordsPerCheckpoint, Objects.requireNonNull(delay, "delay"));
  }

  @Override
  public PCollection<LoggedEvent> expand(PCollection<EventLog> logs) {
    return logs.apply(
            "ReadLogRecords",
            ParDo.of(new ReadEventLogFn(policy, clock, recordsPerCheckpoint, checkpointDelay)))
        .setCoder(LoggedEvent.coder());
  }

  /**
   * The splittable DoFn: claims log offsets one by one, emits each record at its event time, feeds
   * the watermark estimator and records the metrics.
   */
  @DoFn.BoundedPerElement
  static final class ReadEventLogFn extends DoFn<EventLog, LoggedEvent> {
    private final Counter eventsRead = Metrics.counter(ReadTimestampedEvents.class, "eventsRead");
    private final Counter eventsBehind =
        Metrics.counter(ReadTimestampedEvents.class, "eventsBehindWatermark");
    private final Distribution lag =
        Metrics.distribution(ReadTimestampedEvents.class, "watermarkLagMillis");
    private final Gauge currentLag =
        Metrics.gauge(ReadTimestampedEvents.class, "currentWatermarkLagMillis");

    private final WatermarkPolicy policy;
    private final ProcessingClock clock;
    private final int recordsPerCheckpoint;
    private final Duration checkpointDelay;

    ReadEventLogFn(
        WatermarkPolicy policy,
        ProcessingClock clock,
        int recordsPerCheckpoint,
        Duration checkpointDelay) {
      this.policy = policy;
      this.clock = clock;
      this.recordsPerCheckpoint = recordsPerCheckpoint;
      this.checkpointDelay = checkpointDelay;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element EventLog log) {
      return new OffsetRange(0, log.size());
    }

    @NewTracker
    public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
      return new OffsetRangeTracker(range);
    }

    @GetRestrictionCoder
    public Coder<OffsetRange> restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    @GetSize
    public double size(@Restriction OffsetRange range) {
      return range.getTo() - range.getFrom();
    }

    /**
     * The policy's starting state for one restriction; a perfect watermark starts at the earliest
     * event time of the restriction, which it already knows. (The heuristic gets no such hint: it
     * would go stale as records are read, and this source is never idle while it has records.)
     */
    @GetInitialWatermarkEstimatorState
    public WatermarkPolicy initialWatermarkState(
        @Element EventLog log, @Restriction OffsetRange range) {
      WatermarkPolicy state = policy.copy();
      if (state instanceof PerfectWatermark perfect) {
        perfect.reportEarliestUnread(
            BeamInstants.toJava(log.earliestIn(range.getFrom(), range.getTo())));
      }
      return state;
    }

    @GetWatermarkEstimatorStateCoder
    public Coder<WatermarkPolicy> watermarkStateCoder() {
      return SerializableCoder.of(WatermarkPolicy.class);
    }

    @NewWatermarkEstimator
    public WatermarkEstimator<WatermarkPolicy> newWatermarkEstimator(
        @WatermarkEstimatorState WatermarkPolicy state) {
      if (state instanceof PerfectWatermark perfect) {
        return new PerfectWatermarkEstimator(perfect);
      }
      return new BoundedOutOfOrdernessWatermarkEstimator((BoundedOutOfOrderness) state, clock);
    }

    @ProcessElement
    public ProcessContinuation processElement(
        @Element EventLog log,
        RestrictionTracker<OffsetRange, Long> tracker,
        WatermarkEstimator<WatermarkPolicy> watermark,
        OutputReceiver<LoggedEvent> out) {
      OffsetRange range = tracker.currentRestriction();
      Instant[] earliestUnread = log.earliestUnreadAfter(range.getFrom(), range.getTo());
      int sinceCheckpoint = 0;
      for (long offset = range.getFrom(); tracker.tryClaim(offset); offset++) {
        LoggedEvent record = log.get(offset);
        if (record.eventTime().isBefore(watermark.currentWatermark())) {
          eventsBehind.inc();
        }
        // A timestamp-observing estimator sees the record here.
        out.outputWithTimestamp(record, record.eventTime());
        eventsRead.inc();
        if (watermark instanceof ManualWatermarkEstimator<?> manual) {
          manual.setWatermark(earliestUnread[Math.toIntExact(offset - range.getFrom())]);
        }
        recordLag(watermark.currentWatermark());
        sinceCheckpoint++;
        if (sinceCheckpoint >= recordsPerCheckpoint
            && offset + 1 < tracker.currentRestriction().getTo()) {
          return ProcessContinuation.resume().withResumeDelay(checkpointDelay);
        }
      }
      return ProcessContinuation.stop();
    }

    private void recordLag(Instant watermark) {
      if (watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
          && watermark.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
        long lagMillis = clock.now().toEpochMilli() - watermark.getMillis();
        lag.update(lagMillis);
        currentLag.set(lagMillis);
      }
    }
  }
}
