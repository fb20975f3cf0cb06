package dev.tidemark.pipelines;

import dev.tidemark.pipelines.sinks.WriteAreaHourTotals;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import dev.tidemark.transforms.taxi.ParseTrips;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Trip count and fare sum per pickup community area per hour of event time, over the Chicago taxi
 * sample; malformed rows go to a dead-letter file with the reason.
 *
 * <p>Concepts: event time from the payload ({@code trip_start_timestamp}), fixed one-hour windows,
 * errors as data. This is also the cross-runner conformance pipeline: it must give the identical
 * result set on every runner.
 *
 * <pre>{@code
 * bin/tidemark run trips-per-area-hour --runner=FlinkRunner --flinkMaster=[local] \
 *     --input=data/chicago-taxi/trips.csv --output=target/trips-per-area-hour/totals
 * }</pre>
 */
public final class TripsPerAreaHour {

  /** Options of {@link TripsPerAreaHour}. */
  public interface Options extends PipelineOptions {
    @Description("Taxi trips CSV file (with or without header); local path or s3:// URI.")
    @Default.String("data/chicago-taxi/trips.csv")
    String getInput();

    void setInput(String value);

    @Description("Output file prefix of the per-area, per-hour totals (CSV).")
    @Default.String("target/trips-per-area-hour/totals")
    String getOutput();

    void setOutput(String value);

    @Description("Output file prefix of the dead letters (rows that could not be parsed).")
    @Default.String("target/trips-per-area-hour/dead-letters")
    String getDeadLetterOutput();

    void setDeadLetterOutput(String value);
  }

  private TripsPerAreaHour() {}

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
    PCollectionTuple parsed =
        pipeline
            .apply("ReadTripLines", TextIO.read().from(options.getInput()))
            .apply("ParseTrips", ParseTrips.from(options.getInput()));

    parsed
        .get(ParseTrips.TRIPS)
        .apply("CountTripsPerAreaHour", CountTripsPerAreaHour.perHour())
        .apply("WriteTotals", WriteAreaHourTotals.toFiles(options.getOutput()));
    parsed
        .get(ParseTrips.DEAD_LETTERS)
        .apply("WriteDeadLetters", WriteRejects.toFiles(options.getDeadLetterOutput()));
  }
}
