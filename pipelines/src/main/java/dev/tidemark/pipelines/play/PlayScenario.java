package dev.tidemark.pipelines.play;

import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.Change;
import dev.tidemark.transforms.panes.ComputePanes;
import dev.tidemark.transforms.panes.Panes;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;

/**
 * Runs a {@link Scenario}: its stream script becomes a {@link TestStream}, its pipeline section a
 * {@link ComputePanes} with the scenario's combine, and every pane, retraction and dropped element
 * is collected as a {@link PlayRecord} with the processing time at which it was emitted.
 *
 * <p>Concepts: event time vs processing time, watermark, window, trigger, accumulation, allowed
 * lateness, late data captured instead of dropped.
 *
 * <p>Processing time. TestStream's clock on DirectRunner starts at {@link
 * BoundedWindow#TIMESTAMP_MIN_VALUE}, not at the scenario's {@code start}; the first TestStream
 * event therefore advances processing time from there to {@code start}, so the runner's clock reads
 * scenario time throughout: {@code at:} steps advance it to absolute instants, {@code aligned-to}
 * instants align exactly as written, and each record's processing time is read from the runner's
 * clock (a processing-time timer's current time) when it is emitted.
 *
 * <p>Runs on DirectRunner only (TestStream); {@code bin/tidemark play} passes the options.
 */
public final class PlayScenario {

  /** Where TestStream's processing-time clock starts on DirectRunner (measured; see above). */
  static final org.joda.time.Instant DIRECT_RUNNER_CLOCK_ORIGIN = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /** Records of the runs in progress, by run id (DirectRunner runs in this JVM). */
  private static final Map<String, Queue<PlayRecord>> SINKS = new ConcurrentHashMap<>();

  private PlayScenario() {}

  /**
   * Builds the whole pipeline first (so that a trigger Beam refuses is reported as a scenario error
   * before anything runs), runs it to the end and returns its records in emitted order.
   *
   * @throws ScenarioException when Beam refuses the scenario's pipeline
   */
  public static List<PlayRecord> run(Scenario scenario, PipelineOptions options) {
    String runId = UUID.randomUUID().toString();
    Pipeline pipeline = Pipeline.create(options);
    try {
      buildPipeline(pipeline, scenario, runId);
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      throw new ScenarioException(
          scenario.file(),
          scenario.triggerLine(),
          scenario.triggerLine() > 0 ? "pipeline.trigger" : "pipeline",
          "Beam refuses this pipeline: " + firstLine(e));
    }
    Queue<PlayRecord> sink = new ConcurrentLinkedQueue<>();
    SINKS.put(runId, sink);
    try {
      PipelineResult.State state = pipeline.run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the scenario run ended in state " + state);
      }
      List<PlayRecord> records = new ArrayList<>(sink);
      records.sort(PlayRecord.EMITTED_ORDER);
      return nameWithdrawnWindows(records);
    } finally {
      SINKS.remove(runId);
    }
  }

  /**
   * Gives each retraction the window of the pane whose value it withdraws. Beam's change stream
   * carries a retraction in the window of the pane that supersedes it; with merging windows
   * (sessions) that is the merged window, while the withdrawn value belonged to one of the sessions
   * it replaced. The withdrawn pane is the latest earlier pane of the key whose window is the same
   * or lies inside the new one, with that value. The order of the records is kept.
   */
  static List<PlayRecord> nameWithdrawnWindows(List<PlayRecord> records) {
    Map<String, List<PlayRecord>> live = new java.util.HashMap<>();
    List<PlayRecord> out = new ArrayList<>(records.size());
    for (PlayRecord r : records) {
      List<PlayRecord> panes = live.computeIfAbsent(r.key(), k -> new ArrayList<>());
      if (r.kind() == PlayRecord.Kind.PANE) {
        panes.removeIf(p -> sameWindow(p, r));
        panes.add(r);
        out.add(r);
      } else if (r.kind() == PlayRecord.Kind.RETRACTION) {
        PlayRecord withdrawn = null;
        for (PlayRecord p : panes) {
          if (p.value().equals(r.value()) && (sameWindow(p, r) || inside(p, r))) {
            if (withdrawn == null || sameWindow(p, r)) {
              withdrawn = p;
            }
          }
        }
        if (withdrawn == null) {
          out.add(r);
        } else {
          panes.remove(withdrawn);
          out.add(
              new PlayRecord(
                  r.kind(),
                  r.key(),
                  withdrawn.windowStart(),
                  withdrawn.windowEnd(),
                  r.value(),
                  r.timing(),
                  r.index(),
                  r.onTimeIndex(),
                  r.first(),
                  r.last(),
                  r.eventTime(),
                  r.processingTime()));
        }
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private static boolean sameWindow(PlayRecord a, PlayRecord b) {
    return java.util.Objects.equals(a.windowStart(), b.windowStart())
        && java.util.Objects.equals(a.windowEnd(), b.windowEnd());
  }

  private static boolean inside(PlayRecord inner, PlayRecord outer) {
    return !inner.isGlobal()
        && !outer.isGlobal()
        && !inner.windowStart().isBefore(outer.windowStart())
        && !inner.windowEnd().isAfter(outer.windowEnd());
  }

  /** Adds the scenario's stream, aggregation and record collection to {@code pipeline}. */
  static void buildPipeline(Pipeline pipeline, Scenario scenario, String runId) {
    PCollection<KV<String, PlayValue>> input =
        pipeline.apply("ReadScenarioStream", testStream(scenario));
    Panes<String, PlayValue, String> panes =
        input.apply(
            "ComputePanes",
            ComputePanes.of(scenario.policy(), new ScenarioCombineFn(scenario.combine())));
    collect(panes.panes().apply("DescribePanes", ParDo.of(new DescribePaneFn())), "Panes", runId);
    if (scenario.policy().accumulation() == Accumulation.RETRACTING) {
      collect(
          panes.changes().apply("DescribeRetractions", ParDo.of(new DescribeRetractionFn())),
          "Retractions",
          runId);
    }
    collect(
        panes.late().apply("DescribeDroppedElements", ParDo.of(new DescribeDroppedFn())),
        "DroppedElements",
        runId);
  }

  private static void collect(PCollection<PlayRecord> records, String what, String runId) {
    records
        .setCoder(SerializableCoder.of(PlayRecord.class))
        .apply(
            "RewindowGlobally" + what,
            WindowingPolicy.of(WindowSpec.global()).<PlayRecord>toWindow())
        .apply("KeyByRecordKey" + what, ParDo.of(new KeyByRecordKeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(PlayRecord.class)))
        .apply("Collect" + what, ParDo.of(new CollectRecordsFn(runId)));
  }

  /** The scenario's stream script as a TestStream, with processing time starting at start. */
  static TestStream<KV<String, PlayValue>> testStream(Scenario scenario) {
    TestStream.Builder<KV<String, PlayValue>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(PlayValue.class)))
            .advanceProcessingTime(
                new Duration(DIRECT_RUNNER_CLOCK_ORIGIN, joda(scenario.start())));
    Instant processingTime = scenario.start();
    for (Scenario.Step step : scenario.steps()) {
      if (step instanceof Scenario.AdvanceWatermark w) {
        if (w.isEnd()) {
          return b.advanceWatermarkToInfinity();
        }
        b = b.advanceWatermarkTo(joda(w.to()));
      } else if (step instanceof Scenario.AdvanceProcessingTime a) {
        b =
            b.advanceProcessingTime(
                Duration.millis(a.to().toEpochMilli() - processingTime.toEpochMilli()));
        processingTime = a.to();
      } else if (step instanceof Scenario.AddEvents add) {
        List<TimestampedValue<KV<String, PlayValue>>> values = new ArrayList<>();
        for (Scenario.Event e : add.events()) {
          PlayValue v =
              new PlayValue(
                  e.value() instanceof BigDecimal n ? n : (String) e.value(),
                  e.tag(),
                  e.time().toEpochMilli());
          values.add(TimestampedValue.of(KV.of(e.key(), v), joda(e.time())));
        }
        b =
            b.addElements(
                values.get(0), values.subList(1, values.size()).toArray(TimestampedValue[]::new));
      }
    }
    throw new IllegalStateException("a scenario's script ends with 'watermark: end'");
  }

  static org.joda.time.Instant joda(Instant t) {
    return new org.joda.time.Instant(t.toEpochMilli());
  }

  static Instant java(org.joda.time.Instant t) {
    return Instant.ofEpochMilli(t.getMillis());
  }

  private static String firstLine(Throwable e) {
    StackTraceElement where = null;
    for (StackTraceElement f : e.getStackTrace()) {
      if (!f.getClassName().endsWith("Preconditions")) {
        where = f; // the Beam method that refused, not the precondition helper
        break;
      }
    }
    String m =
        e.getMessage() != null
            ? e.getMessage()
            : e.getClass().getSimpleName()
                + (where == null
                    ? ""
                    : " in "
                        + where.getClassName().substring(where.getClassName().lastIndexOf('.') + 1)
                        + "."
                        + where.getMethodName());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Instant start(BoundedWindow w) {
    return w instanceof IntervalWindow iw ? java(iw.start()) : null;
  }

  private static Instant end(BoundedWindow w) {
    return w instanceof IntervalWindow iw ? java(iw.end()) : null;
  }

  /** A pane as a record (its processing time is filled in when collected). */
  static final class DescribePaneFn extends DoFn<KV<String, String>, PlayRecord> {
    @ProcessElement
    public void processElement(
        @Element KV<String, String> pane,
        BoundedWindow window,
        PaneInfo info,
        OutputReceiver<PlayRecord> out) {
      out.output(
          new PlayRecord(
              PlayRecord.Kind.PANE,
              pane.getKey(),
              start(window),
              end(window),
              pane.getValue(),
              info.getTiming().name(),
              info.getIndex(),
              info.getNonSpeculativeIndex(),
              info.isFirst(),
              info.isLast(),
              null,
              null));
    }
  }

  /** The retractions of a change stream as records; additions are the panes themselves. */
  static final class DescribeRetractionFn extends DoFn<KV<String, Change<String>>, PlayRecord> {
    @ProcessElement
    public void processElement(
        @Element KV<String, Change<String>> change,
        BoundedWindow window,
        PaneInfo info,
        OutputReceiver<PlayRecord> out) {
      if (!change.getValue().retraction()) {
        return;
      }
      out.output(
          new PlayRecord(
              PlayRecord.Kind.RETRACTION,
              change.getKey(),
              start(window),
              end(window),
              change.getValue().value(),
              info.getTiming().name(),
              info.getIndex(),
              info.getNonSpeculativeIndex(),
              info.isFirst(),
              info.isLast(),
              null,
              null));
    }
  }

  /** A captured too-late element as a record. */
  static final class DescribeDroppedFn
      extends DoFn<LateElement<KV<String, PlayValue>>, PlayRecord> {
    private final Counter dropped = Metrics.counter(PlayScenario.class, "droppedElements");

    @ProcessElement
    public void processElement(
        @Element LateElement<KV<String, PlayValue>> late, OutputReceiver<PlayRecord> out) {
      dropped.inc();
      out.output(
          new PlayRecord(
              PlayRecord.Kind.DROPPED,
              late.element().getKey(),
              late.windowStart() == null ? null : java(late.windowStart()),
              late.windowEnd() == null ? null : java(late.windowEnd()),
              late.element().getValue().json(),
              null,
              0,
              0,
              false,
              false,
              java(late.timestamp()),
              null));
    }
  }

  /** Keys records by their key, for the stateful collection step. */
  static final class KeyByRecordKeyFn extends DoFn<PlayRecord, KV<String, PlayRecord>> {
    @ProcessElement
    public void processElement(@Element PlayRecord r, OutputReceiver<KV<String, PlayRecord>> out) {
      out.output(KV.of(r.key(), r));
    }
  }

  /**
   * Stamps each record with the runner's processing time (read from a processing-time timer, which
   * on DirectRunner is TestStream's clock) and hands it to the driver. The records leave the
   * pipeline through an in-JVM map by run id: DirectRunner runs in the driver's JVM, and the
   * scenario's output is small.
   */
  static final class CollectRecordsFn extends DoFn<KV<String, PlayRecord>, Void>
      implements Serializable {
    private static final String CLOCK = "clock";

    @TimerId(CLOCK)
    private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final String runId;

    CollectRecordsFn(String runId) {
      this.runId = runId;
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, PlayRecord> record, @TimerId(CLOCK) Timer clock) {
      Queue<PlayRecord> sink = SINKS.get(runId);
      if (sink == null) {
        throw new IllegalStateException("no scenario run " + runId + " in this JVM");
      }
      sink.add(record.getValue().at(java(clock.getCurrentRelativeTime())));
    }

    @OnTimer(CLOCK)
    public void onClock() {
      // Never set: the timer exists only to read the processing-time clock.
    }
  }
}
