package dev.tidemark.pipelines;

import dev.tidemark.core.time.Durations;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.kafka.ReadLogOptions;
import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.pipelines.sinks.WriteAreaHourTotals;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import dev.tidemark.transforms.taxi.DropZeroFareTrips;
import dev.tidemark.transforms.windowing.BeamDurations;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * Trip count and fare sum per pickup community area per event-time hour, computed from the trip
 * events of a Kafka topic and written to a versioned output topic; records that are not valid trip
 * events go to a dead-letter topic. The same code either replays the retained log (bounded, ends at
 * the log's current end) or follows it live: the Kappa architecture.
 *
 * <p>Concepts: event time from the payload assigned by the reader; a per-partition watermark with
 * bounded out-of-orderness that idle partitions do not hold back; errors as data (dead-letter
 * topic); versioned outputs for a canary comparison of two versions of the logic.
 *
 * <pre>{@code
 * bin/tidemark run kafka-trips-per-area-hour --outputTopic=trips-per-area-hour-v1
 * bin/tidemark run kafka-trips-per-area-hour --outputTopic=trips-per-area-hour-v2 --logicVersion=2
 * bin/tidemark canary trips-per-area-hour-v1 trips-per-area-hour-v2
 * }</pre>
 *
 * <p>Output records: key {@code <area>|<hour start>}, value {@link AreaHourTotal#toCsv()}; trips
 * later than {@code --allowedLateness} go to {@code <outputTopic>-late} with their window and the
 * reason, so that {@code trips in = counted + dead letters + late}.
 */
public final class KafkaTripsPerAreaHour {

  /** Options of {@link KafkaTripsPerAreaHour}. */
  public interface Options extends ReadLogOptions {
    @Description("Version of the logic: 1 counts every trip, 2 drops zero-fare trips first.")
    @Default.Integer(1)
    int getLogicVersion();

    void setLogicVersion(int value);

    @Description(
        "Allowed lateness of the hourly windows (event time, e.g. 0, 30m, 6h): a late trip within"
            + " it updates its hour's total (a newer record for the same key); later trips go to"
            + " the topic <outputTopic>-late with the reason. Never dropped either way.")
    @Default.String("0")
    String getAllowedLateness();

    void setAllowedLateness(String value);

    @Description("Topic of the per-area, per-hour totals (one per version of the logic).")
    @Default.String("trips-per-area-hour-v1")
    String getOutputTopic();

    void setOutputTopic(String value);
  }

  private KafkaTripsPerAreaHour() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineResult result = run(options);
    result.waitUntilFinish();
  }

  /** Builds and starts the pipeline. */
  public static PipelineResult run(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    return pipeline.run();
  }

  /** Adds the steps of this pipeline to {@code pipeline}; a replay looks its offsets up now. */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    if (options.getLogicVersion() < 1 || options.getLogicVersion() > 2) {
      throw new IllegalArgumentException(
          "--logicVersion must be 1 or 2, not " + options.getLogicVersion());
    }
    PCollectionTuple parsed =
        pipeline
            .apply("ReadTripEvents", ReadTripEvents.from(options))
            .apply("ParseTripEvents", new ParseTripEvents());

    PCollection<TaxiTrip> trips = parsed.get(ParseTripEvents.TRIPS);
    if (options.getLogicVersion() == 2) {
      trips = trips.apply("DropZeroFareTrips", new DropZeroFareTrips());
    }
    trips
        .apply("CountTripsPerAreaHour", countTrips(options))
        .apply(
            "WriteTotals",
            WriteAreaHourTotals.toTopic(options.getBootstrapServers(), options.getOutputTopic()));

    parsed
        .get(ParseTripEvents.REJECTED)
        .apply(
            "WriteDeadLetters",
            WriteRejects.toTopic(options.getBootstrapServers(), options.getDeadLetterTopic()));
  }

  /** The hourly totals with the lateness of the options: late updates when it is not zero. */
  static CountTripsPerAreaHour countTrips(Options options) {
    Duration lateness = BeamDurations.toJoda(Durations.parse(options.getAllowedLateness()));
    CountTripsPerAreaHour count = CountTripsPerAreaHour.perHour();
    return lateness.getMillis() == 0 ? count : count.withLateUpdates(lateness);
  }
}
