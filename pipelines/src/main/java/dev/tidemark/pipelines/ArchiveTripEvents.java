package dev.tidemark.pipelines;

import dev.tidemark.pipelines.kafka.EventLogOptions;
import dev.tidemark.pipelines.kafka.LogPositions;
import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.pipelines.lake.ArchiveByEventDate;
import dev.tidemark.pipelines.lake.LakeS3ClientBuilderFactory;
import dev.tidemark.pipelines.sinks.WriteLateData;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * Lambda architecture, master data: archives the trip events of a Kafka topic to the data lake as
 * JSON lines partitioned by event date ({@code s3://lake/trips/event_date=YYYY-MM-DD/}); invalid
 * records go to the dead-letter topic. Replays the retained log (default) or follows it.
 *
 * <pre>{@code
 * bin/tidemark run archive-trip-events --archive=s3://lake/trips
 * }</pre>
 */
public final class ArchiveTripEvents {

  /** Options of {@link ArchiveTripEvents}. */
  public interface Options extends EventLogOptions, S3Options {
    @Description("Archive root: local directory or s3:// URI; partitions event_date=.../ below.")
    @Default.String("s3://lake/trips")
    String getArchive();

    void setArchive(String value);

    @Description("Follow the topic live instead of replaying it up to its current end.")
    @Default.Boolean(false)
    boolean getFollow();

    void setFollow(boolean value);

    @Description("Follow mode: bounded out-of-orderness of the trip events, in seconds.")
    @Default.Long(120)
    long getMaxDelaySeconds();

    void setMaxDelaySeconds(long value);
  }

  private ArchiveTripEvents() {}

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
    Duration maxDelay = Duration.standardSeconds(options.getMaxDelaySeconds());
    ReadTripEvents read =
        options.getFollow()
            ? ReadTripEvents.follow(
                options.getBootstrapServers(),
                options.getTripsTopic(),
                maxDelay,
                Duration.standardSeconds(5))
            : ReadTripEvents.replay(
                options.getBootstrapServers(),
                options.getTripsTopic(),
                LogPositions.lookUp(options.getBootstrapServers(), options.getTripsTopic(), null));
    PCollectionTuple parsed =
        pipeline.apply("ReadTripEvents", read).apply("ParseTripEvents", new ParseTripEvents());
    parsed
        .get(ParseTripEvents.TRIPS)
        .apply("ArchiveByEventDate", new ArchiveByEventDate(options.getArchive()))
        .get(ArchiveByEventDate.LATE)
        .apply(
            "WriteLateTrips",
            WriteLateData.toFiles(
                options.getArchive() + "/late/trips",
                "ArchiveByEventDate",
                ArchiveByEventDate.lateTripJson()));
    parsed
        .get(ParseTripEvents.REJECTED)
        .apply(
            "WriteDeadLetters",
            WriteRejects.toTopic(options.getBootstrapServers(), options.getDeadLetterTopic()));
  }
}
