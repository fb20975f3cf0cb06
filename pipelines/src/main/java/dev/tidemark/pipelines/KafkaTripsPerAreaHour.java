package dev.tidemark.pipelines;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.kafka.ReadLogOptions;
import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.pipelines.kafka.WriteKeyedStrings;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import dev.tidemark.transforms.taxi.DropZeroFareTrips;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

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
 * <p>Output records: key {@code <area>|<hour start>}, value {@link AreaHourTotal#toCsv()}.
 */
public final class KafkaTripsPerAreaHour {

  /** Options of {@link KafkaTripsPerAreaHour}. */
  public interface Options extends ReadLogOptions {
    @Description("Version of the logic: 1 counts every trip, 2 drops zero-fare trips first.")
    @Default.Integer(1)
    int getLogicVersion();

    void setLogicVersion(int value);

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
        .apply("CountTripsPerAreaHour", new CountTripsPerAreaHour())
        .apply("ToKeyedTotal", MapElements.via(new ToKeyedTotalFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            "WriteTotals",
            WriteKeyedStrings.to(options.getBootstrapServers(), options.getOutputTopic()));

    parsed
        .get(ParseTripEvents.REJECTED)
        .apply(
            "WriteDeadLetters",
            WriteRejects.toTopic(options.getBootstrapServers(), options.getDeadLetterTopic()));
  }

  /** Key {@code <area>|<hour start>} (what the canary compares by), value the CSV line. */
  static final class ToKeyedTotalFn extends SimpleFunction<AreaHourTotal, KV<String, String>> {
    @Override
    public KV<String, String> apply(AreaHourTotal t) {
      return KV.of(t.pickupArea() + "|" + t.hourStart(), t.toCsv());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }
}
