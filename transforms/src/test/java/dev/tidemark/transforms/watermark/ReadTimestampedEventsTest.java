package dev.tidemark.transforms.watermark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.tidemark.core.time.ProcessingClock;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Specification of {@link ReadTimestampedEvents}: a disordered log read through the splittable DoFn
 * into 5-minute fixed windows, once with a heuristic watermark (some records late) and once with a
 * perfect one (none late).
 *
 * <p>The log is fed by a {@link TestStream} so that the DirectRunner's processing time is scripted:
 * the source reads one record per checkpoint and asks to resume half a second of processing time
 * later, so each {@code advanceProcessingTime(1s)} below (the DirectRunner fires a timer once its
 * clock is strictly past it) reads exactly one more record, after the pipeline has reacted to the
 * watermark reported at the previous checkpoint.
 */
@RunWith(JUnit4.class)
public class ReadTimestampedEventsTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String DAY = "2026-11-27T";

  /** 12:34:56 on the test day, as an event time. */
  private static Instant at(String hhmmss) {
    return Instant.parse(DAY + hhmmss + "Z");
  }

  private static LoggedEvent record(long offset, String eventTime, String payload) {
    return new LoggedEvent(offset, at(eventTime), payload);
  }

  /**
   * A disordered log: {@code d} and {@code g} were appended after newer events. With a 1-minute
   * bound, {@code c} (12:06) moves the heuristic watermark to 12:05, past the end of window [12:00,
   * 12:05) that {@code d} (12:04) belongs to; {@code f} (12:11) moves it to 12:10, past window
   * [12:05, 12:10) of {@code g} (12:08).
   */
  private static final EventLog DISORDERED_LOG =
      EventLog.of(
          List.of(
              record(0, "12:00:30", "a"),
              record(1, "12:02:00", "b"),
              record(2, "12:06:00", "c"),
              record(3, "12:04:00", "d"),
              record(4, "12:07:30", "e"),
              record(5, "12:11:00", "f"),
              record(6, "12:08:00", "g"),
              record(7, "12:12:00", "h")));

  /** The source's processing-time clock: pinned, so that watermark lags are literal. */
  private static final ProcessingClock NOW_12_30 =
      ProcessingClock.fixedAt(java.time.Instant.parse(DAY + "12:30:00Z"));

  /** Far beyond every event time: the log's own input watermark never limits the source. */
  private static final Instant LATER_THAT_DAY = at("23:00:00");

  private static final java.time.Duration BOUND = java.time.Duration.ofMinutes(1);
  private static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofHours(1);

  /** The log arrives, then processing time advances one second per remaining record. */
  private static TestStream<EventLog> logArrivingAndReadRecordByRecord() {
    TestStream.Builder<EventLog> stream =
        TestStream.create(EventLog.coder())
            // The log is there: the source reads record 0 and checkpoints.
            .addElements(DISORDERED_LOG)
            // The log's own watermark moves out of the way; the source's estimator governs.
            .advanceWatermarkTo(LATER_THAT_DAY);
    for (int i = 1; i < DISORDERED_LOG.size(); i++) {
      // The source resumes and reads record i, then checkpoints again.
      stream = stream.advanceProcessingTime(Duration.standardSeconds(1));
    }
    return stream.advanceWatermarkToInfinity();
  }

  /** Reads the scripted log with {@code read} and renders every pane of 5-minute windows. */
  private PCollection<String> panesOf(ReadTimestampedEvents read) {
    return p.apply("ScriptLog", logArrivingAndReadRecordByRecord())
        .apply(
            "ReadEvents",
            read.withClock(NOW_12_30)
                .withRecordsPerCheckpoint(1)
                .withCheckpointDelay(Duration.millis(500)))
        .apply(
            "WindowByFiveMinutes",
            Window.<LoggedEvent>into(FixedWindows.of(Duration.standardMinutes(5)))
                // Late records still form (late) panes instead of being dropped, so we can see
                // them.
                .withAllowedLateness(Duration.standardHours(1))
                .discardingFiredPanes())
        .apply("KeyByLog", WithKeys.of("log"))
        .apply("GroupPerWindow", GroupByKey.create())
        .apply("RenderPane", ParDo.of(new RenderPaneFn()))
        .setCoder(StringUtf8Coder.of());
  }

  /**
   * Renders a pane as {@code [start-end) TIMING payloads}, e.g. {@code [12:00-12:05) ON_TIME a b}.
   */
  static final class RenderPaneFn extends DoFn<KV<String, Iterable<LoggedEvent>>, String> {
    private static final DateTimeFormatter HH_MM = DateTimeFormat.forPattern("HH:mm").withZoneUTC();

    @ProcessElement
    public void processElement(
        @Element KV<String, Iterable<LoggedEvent>> pane,
        IntervalWindow window,
        PaneInfo paneInfo,
        OutputReceiver<String> out) {
      List<String> payloads = new ArrayList<>();
      pane.getValue().forEach(r -> payloads.add(r.payload()));
      payloads.sort(null);
      out.output(
          String.format(
              "[%s-%s) %s %s",
              HH_MM.print(window.start()),
              HH_MM.print(window.end()),
              paneInfo.getTiming(),
              String.join(" ", payloads)));
    }
  }

  /** With the heuristic watermark, d and g arrive behind it and form late panes of their own. */
  @Test
  public void heuristicWatermarkMakesOutOfOrderRecordsLate() {
    PCollection<String> panes =
        panesOf(ReadTimestampedEvents.withBoundedOutOfOrderness(BOUND, IDLE_TIMEOUT));

    PAssert.that(panes)
        .containsInAnyOrder(
            "[12:00-12:05) ON_TIME a b",
            "[12:00-12:05) LATE d",
            "[12:05-12:10) ON_TIME c e",
            "[12:05-12:10) LATE g",
            "[12:10-12:15) ON_TIME f h");
    PAssert.that(panes)
        .inLatePane(window("12:00", "12:05"))
        .containsInAnyOrder("[12:00-12:05) LATE d");
    PAssert.that(panes)
        .inLatePane(window("12:05", "12:10"))
        .containsInAnyOrder("[12:05-12:10) LATE g");
    PAssert.that(panes).inLatePane(window("12:10", "12:15")).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "eventsRead"), is(8L));
    assertThat(counter(result, "eventsBehindWatermark"), is(2L));
    // Watermarks after each record: 11:59:30, 12:01, 12:05, 12:05, 12:06:30, 12:10, 12:10, 12:11;
    // lag = 12:30 - watermark.
    DistributionResult lag = distribution(result, "watermarkLagMillis");
    assertThat(lag.getCount(), is(8L));
    assertThat(lag.getMin(), is(19 * 60_000L));
    assertThat(lag.getMax(), is(30 * 60_000L + 30_000L));
  }

  /** With the perfect watermark the same log yields only on-time panes: nothing is late. */
  @Test
  public void perfectWatermarkLeavesNoRecordLate() {
    PCollection<String> panes = panesOf(ReadTimestampedEvents.withPerfectWatermark());

    PAssert.that(panes)
        .containsInAnyOrder(
            "[12:00-12:05) ON_TIME a b d",
            "[12:05-12:10) ON_TIME c e g",
            "[12:10-12:15) ON_TIME f h");
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "eventsRead"), is(8L));
    assertThat(counter(result, "eventsBehindWatermark"), is(0L));
    // Completeness after each record but the last: 12:02, 12:04, 12:04, 12:07:30, 12:08, 12:08,
    // 12:12 (after the last record the log is complete: no lag is recorded for the end of time).
    DistributionResult lag = distribution(result, "watermarkLagMillis");
    assertThat(lag.getCount(), is(7L));
    assertThat(lag.getMin(), is(18 * 60_000L));
    assertThat(lag.getMax(), is(28 * 60_000L));
  }

  /**
   * Without any scripting, the source reads every record of the log exactly once, timestamped with
   * its event time: records in = records out.
   */
  @Test
  public void everyRecordIsEmittedOnceAtItsEventTime() {
    PCollection<TimestampedValue<LoggedEvent>> read =
        p.apply("CreateLog", Create.of(DISORDERED_LOG).withCoder(EventLog.coder()))
            .apply("ReadEvents", ReadTimestampedEvents.withPerfectWatermark())
            .apply("RevealTimestamps", Reify.timestamps());

    PAssert.that(read)
        .containsInAnyOrder(
            TimestampedValue.of(record(0, "12:00:30", "a"), at("12:00:30")),
            TimestampedValue.of(record(1, "12:02:00", "b"), at("12:02:00")),
            TimestampedValue.of(record(2, "12:06:00", "c"), at("12:06:00")),
            TimestampedValue.of(record(3, "12:04:00", "d"), at("12:04:00")),
            TimestampedValue.of(record(4, "12:07:30", "e"), at("12:07:30")),
            TimestampedValue.of(record(5, "12:11:00", "f"), at("12:11:00")),
            TimestampedValue.of(record(6, "12:08:00", "g"), at("12:08:00")),
            TimestampedValue.of(record(7, "12:12:00", "h"), at("12:12:00")));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "eventsRead"), is(8L));
  }

  private static IntervalWindow window(String startHhmm, String endHhmm) {
    return new IntervalWindow(at(startHhmm + ":00"), at(endHhmm + ":00"));
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(ReadTimestampedEvents.class, name))
                .build());
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : query(result, name).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  private static DistributionResult distribution(PipelineResult result, String name) {
    for (MetricResult<DistributionResult> d : query(result, name).getDistributions()) {
      return d.getAttempted();
    }
    throw new AssertionError("no distribution " + name);
  }
}
