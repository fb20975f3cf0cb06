package dev.tidemark.pipelines;

import dev.tidemark.core.time.Durations;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.retention.CustomerEvent;
import dev.tidemark.transforms.retention.CustomerEventJson;
import dev.tidemark.transforms.retention.DetectRetentionActions;
import dev.tidemark.transforms.retention.ParseCustomerEvents;
import dev.tidemark.transforms.retention.RetentionAction;
import dev.tidemark.transforms.windowing.BeamDurations;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * Retention actions from a web shop's session log: one action for each dropped cart of a logged-in
 * customer who does not check out within the window (default 30 minutes).
 *
 * <p>Concepts: complex event processing on Beam (a keyed pattern with absence, matched in event
 * time with state and timers: {@link DetectRetentionActions}), event time from the payload, errors
 * as data. The order of input lines is arrival order, not event-time order.
 *
 * <p>Outputs: actions as JSON lines ({@code {"customer": "c42", "dropped_at":
 * "2026-01-01T12:07:00Z", "cart_value": 37.5}}), dead letters ({@code source<TAB>reason<TAB>line})
 * and late events (none for a file: its watermark only advances at the end).
 *
 * <pre>{@code
 * bin/tidemark retention --input events.jsonl --within 30m --runner FlinkRunner
 * bin/tidemark run retention --input=events.jsonl --within=30m --output=target/retention/actions
 * }</pre>
 */
public final class Retention {

  /** Options of {@link Retention}. */
  public interface Options extends PipelineOptions {
    @Description("Session events, one JSON object per line; local path or s3:// URI.")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("How long after a drop a checkout still cancels the action, e.g. 30m, 90s, 1h30m.")
    @Default.String("30m")
    String getWithin();

    void setWithin(String value);

    @Description("Output file prefix of the actions (JSON lines).")
    @Default.String("target/retention/actions")
    String getOutput();

    void setOutput(String value);

    @Description("Output file prefix of the dead letters (lines that could not be parsed).")
    @Default.String("target/retention/dead-letters")
    String getDeadLetterOutput();

    void setDeadLetterOutput(String value);

    @Description("Output file prefix of the events that came too late to be matched.")
    @Default.String("target/retention/late-events")
    String getLateOutput();

    void setLateOutput(String value);
  }

  private Retention() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    run(options).waitUntilFinish();
  }

  /** Builds and starts the pipeline. */
  public static PipelineResult run(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    return pipeline.run();
  }

  /** Adds the steps of this pipeline to {@code pipeline}. */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    Duration within = parseDuration(options.getWithin());
    PCollectionTuple parsed =
        pipeline
            .apply("ReadEventLines", TextIO.read().from(options.getInput()))
            .apply("ParseEvents", ParseCustomerEvents.from(options.getInput()));
    PCollectionTuple detected =
        parsed
            .get(ParseCustomerEvents.EVENTS)
            .apply("DetectRetentionActions", DetectRetentionActions.within(within));

    detected
        .get(DetectRetentionActions.ACTIONS)
        .apply("FormatActions", MapElements.via(new FormatActionFn()))
        .apply(
            "WriteActions",
            TextIO.write().to(options.getOutput()).withSuffix(".jsonl").withNumShards(1));
    parsed
        .get(ParseCustomerEvents.DEAD_LETTERS)
        .apply("WriteDeadLetters", WriteRejects.toFiles(options.getDeadLetterOutput()));
    detected
        .get(DetectRetentionActions.LATE_EVENTS)
        .apply("FormatLateEvents", MapElements.via(new FormatLateEventFn()))
        .apply(
            "WriteLateEvents",
            TextIO.write().to(options.getLateOutput()).withSuffix(".tsv").withNumShards(1));
  }

  /**
   * Parses {@code --within}: {@code 30m}, {@code 90s}, {@code 1h30m}, {@code 500ms}, {@code PT30M}.
   */
  public static Duration parseDuration(String text) {
    return BeamDurations.toJoda(Durations.parse(text));
  }

  /** One JSON line per action. */
  static final class FormatActionFn extends SimpleFunction<RetentionAction, String> {
    @Override
    public String apply(RetentionAction action) {
      return action.toJson();
    }
  }

  /** One tab-separated line per late event: reason, then the event as JSON. */
  static final class FormatLateEventFn extends SimpleFunction<LateElement<CustomerEvent>, String> {
    @Override
    public String apply(LateElement<CustomerEvent> late) {
      return late.reason() + '\t' + CustomerEventJson.format(late.element());
    }
  }
}
