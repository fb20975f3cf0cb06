package dev.tidemark.transforms.eventlog;

import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses JSON trip events ({@link TaxiTripJson}) read from an event log.
 *
 * <p>Outputs, by tag: {@link #TRIPS} the parsed trips, each keeping the timestamp its record had
 * (the reader assigns event time); {@link #REJECTED} every record that is not a valid trip event,
 * with the reason and its source position. Nothing is dropped: {@code records in = trips +
 * rejected}, exactly (counters {@code tripEventsParsed}, {@code tripEventsRejected}).
 */
public final class ParseTripEvents extends PTransform<PCollection<LogRecord>, PCollectionTuple> {

  /** Trips parsed from valid events. */
  public static final TupleTag<TaxiTrip> TRIPS = new TupleTag<TaxiTrip>() {};

  /** Records that are not valid trip events, with the reason. */
  public static final TupleTag<Reject> REJECTED = new TupleTag<Reject>() {};

  @Override
  public PCollectionTuple expand(PCollection<LogRecord> records) {
    PCollectionTuple out =
        records.apply(
            "ParseTripEvent",
            ParDo.of(new ParseTripEventFn()).withOutputTags(TRIPS, TupleTagList.of(REJECTED)));
    out.get(TRIPS).setCoder(TaxiTripCoder.of());
    return out;
  }

  /** Parses one record; routes invalid ones to {@link #REJECTED} and counts every outcome. */
  static final class ParseTripEventFn extends DoFn<LogRecord, TaxiTrip> {
    private final Counter parsed = Metrics.counter(ParseTripEvents.class, "tripEventsParsed");
    private final Counter rejected = Metrics.counter(ParseTripEvents.class, "tripEventsRejected");

    @ProcessElement
    public void processElement(@Element LogRecord record, MultiOutputReceiver out) {
      try {
        out.get(TRIPS).output(TaxiTripJson.parse(record.value()));
        parsed.inc();
      } catch (MalformedTripException e) {
        out.get(REJECTED)
            .output(
                new Reject(
                    record.source(),
                    e.getMessage(),
                    record.value(),
                    record.key(),
                    record.position()));
        rejected.inc();
      }
    }
  }
}
