package dev.tidemark.transforms.eventlog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

/** Specification of {@link ParseTripEvents}: every record is either a trip or rejected. */
public class ParseTripEventsTest implements Serializable {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String TOPIC = "trips";

  /** A valid event at the given offset: a $12.50 trip from area 8 starting at {@code start}. */
  private static LogRecord trip(long offset, long start) {
    return record(
        offset,
        "{\"pickup_community_area\":8,\"fare\":12.5,\"trip_start_timestamp\":" + start + "}");
  }

  private static LogRecord record(long offset, String json) {
    return LogRecord.at(new LogPosition(TOPIC, 0, offset), null, json.getBytes(UTF_8));
  }

  /** Three valid events and three malformed ones: three trips, three rejects with reasons. */
  @Test
  public void recordsInEqualTripsPlusRejected() {
    List<LogRecord> in = new ArrayList<>();
    in.add(trip(0, 1380593700L));
    in.add(record(1, "{\"fare\":12.5"));
    in.add(trip(2, 1380597300L));
    in.add(record(3, "{\"fare\":12.5,\"trip_start_timestamp\":\"yesterday\"}"));
    in.add(LogRecord.at(new LogPosition(TOPIC, 0, 4), null, null));
    in.add(trip(5, 1380600900L));

    PCollectionTuple out =
        pipeline
            .apply("CreateRecords", Create.of(in))
            .apply("ParseTripEvents", new ParseTripEvents());

    PCollection<Long> trips = out.get(ParseTripEvents.TRIPS).apply("CountTrips", Count.globally());
    PAssert.thatSingleton(trips).isEqualTo(3L);
    PAssert.that(
            out.get(ParseTripEvents.TRIPS).apply("TripStarts", MapElements.via(new TripStartFn())))
        .containsInAnyOrder(1380593700L, 1380597300L, 1380600900L);
    PAssert.that(
            out.get(ParseTripEvents.REJECTED).apply("Describe", MapElements.via(new DescribeFn())))
        .containsInAnyOrder(
            "trips/0@1 the event is not valid JSON: Unexpected end-of-input: expected close"
                + " marker for Object",
            "trips/0@3 trip_start_timestamp is not an integer: \"yesterday\"",
            "trips/0@4 the event is empty (null value)");
    pipeline.run().waitUntilFinish();
  }

  /** The trip start of a trip, in Unix seconds. */
  static final class TripStartFn extends SimpleFunction<TaxiTrip, Long> {
    @Override
    public Long apply(TaxiTrip t) {
      return t.tripStartTimestamp();
    }
  }

  /** Position and reason of a rejected record. */
  static final class DescribeFn extends SimpleFunction<Reject, String> {
    @Override
    public String apply(Reject r) {
      return r.position() + " " + r.reason();
    }
  }
}
