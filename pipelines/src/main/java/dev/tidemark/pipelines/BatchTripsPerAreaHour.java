package dev.tidemark.pipelines;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.lake.LakeS3ClientBuilderFactory;
import dev.tidemark.pipelines.sinks.WriteAreaHourTotals;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Lambda architecture, batch layer: recomputes the per-area, per-hour totals from the archived trip
 * events (JSON lines under {@code event_date=...} partitions), optionally only for trips that
 * started before {@code --until} (the closed periods). Same transforms as the speed layer ({@link
 * KafkaTripsPerAreaHour}), so the two views are comparable key by key.
 *
 * <pre>{@code
 * bin/tidemark run batch-trips-per-area-hour --input='s3://lake/trips/event_date=*\/*.jsonl' \
 *     --output=target/lambda/batch/totals
 * }</pre>
 */
public final class BatchTripsPerAreaHour {

  /** Options of {@link BatchTripsPerAreaHour}. */
  public interface Options extends S3Options {
    @Description("Archived trip events (glob; local path or s3:// URI).")
    @Default.String("s3://lake/trips/event_date=*/*.jsonl")
    String getInput();

    void setInput(String value);

    @Description("Only trips that started before this instant (ISO-8601); empty: all.")
    @Default.String("")
    String getUntil();

    void setUntil(String value);

    @Description("Output file prefix of the batch view (CSV of per-area, per-hour totals).")
    @Default.String("target/lambda/batch/totals")
    String getOutput();

    void setOutput(String value);

    @Description("Output file prefix of archived lines that are not valid trip events.")
    @Default.String("target/lambda/batch/dead-letters")
    String getDeadLetterOutput();

    void setDeadLetterOutput(String value);
  }

  private BatchTripsPerAreaHour() {}

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
    if (options.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      // Path style and $AWS_ENDPOINT_URL for MinIO/S3Proxy; AWS S3 behaves as with the default.
      options.setS3ClientFactoryClass(LakeS3ClientBuilderFactory.class);
    }
    long until =
        options.getUntil().isBlank()
            ? Long.MAX_VALUE
            : java.time.Instant.parse(options.getUntil()).getEpochSecond();
    PCollectionTuple parsed =
        pipeline
            .apply("ReadArchive", TextIO.read().from(options.getInput()))
            .apply("ToLogRecord", MapElements.via(new ArchiveLineToRecordFn(options.getInput())))
            .apply("ParseTripEvents", new ParseTripEvents());
    PCollection<TaxiTrip> closed =
        parsed
            .get(ParseTripEvents.TRIPS)
            .apply("KeepClosedPeriods", ParDo.of(new StartedBeforeFn(until)))
            .setCoder(TaxiTripCoder.of());
    closed
        .apply("CountTripsPerAreaHour", CountTripsPerAreaHour.perHour())
        .apply("WriteBatchView", WriteAreaHourTotals.toFiles(options.getOutput()));
    parsed
        .get(ParseTripEvents.REJECTED)
        .apply("WriteDeadLetters", WriteRejects.toFiles(options.getDeadLetterOutput()));
  }

  /** An archived line as a record of the archive: no partition or offset, so no position. */
  static final class ArchiveLineToRecordFn extends SimpleFunction<String, LogRecord> {
    private final String source;

    ArchiveLineToRecordFn(String source) {
      this.source = source;
    }

    @Override
    public LogRecord apply(String line) {
      return new LogRecord(source, null, null, line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public TypeDescriptor<LogRecord> getOutputTypeDescriptor() {
      return TypeDescriptor.of(LogRecord.class);
    }
  }

  /** Keeps trips that started before the end of the closed periods. */
  static final class StartedBeforeFn extends DoFn<TaxiTrip, TaxiTrip> {
    private final long untilSeconds;

    StartedBeforeFn(long untilSeconds) {
      this.untilSeconds = untilSeconds;
    }

    @ProcessElement
    public void processElement(@Element TaxiTrip trip, OutputReceiver<TaxiTrip> out) {
      if (trip.tripStartTimestamp() < untilSeconds) {
        out.output(trip);
      }
    }
  }
}
