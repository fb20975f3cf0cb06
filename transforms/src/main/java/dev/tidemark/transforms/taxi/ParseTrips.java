package dev.tidemark.transforms.taxi;

import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
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
 * Parses CSV lines of the taxi sample into {@link TaxiTrip}s.
 *
 * <p>Outputs, by tag: {@link #TRIPS} the parsed trips; {@link #DEAD_LETTERS} every line that could
 * not be parsed, with the reason. Header lines are skipped and counted ({@code headerLines}), so
 * that {@code lines in = trips + dead letters + header lines} holds exactly.
 */
public final class ParseTrips extends PTransform<PCollection<String>, PCollectionTuple> {

  /** Trips parsed from well-formed lines. */
  public static final TupleTag<TaxiTrip> TRIPS = new TupleTag<TaxiTrip>() {};

  /** Lines that could not be parsed, with the reason. */
  public static final TupleTag<Reject> DEAD_LETTERS = new TupleTag<Reject>() {};

  private final String source;

  private ParseTrips(String source) {
    this.source = source;
  }

  /** Parses lines read from {@code source} (a file name or URI, recorded in dead letters). */
  public static ParseTrips from(String source) {
    return new ParseTrips(source);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple out =
        lines.apply(
            "ParseTripLine",
            ParDo.of(new ParseTripFn(source)).withOutputTags(TRIPS, TupleTagList.of(DEAD_LETTERS)));
    out.get(TRIPS).setCoder(TaxiTripCoder.of());
    return out;
  }

  /** Parses one line; routes malformed lines to the dead letters and counts every outcome. */
  static final class ParseTripFn extends DoFn<String, TaxiTrip> {
    private final Counter parsed = Metrics.counter(ParseTrips.class, "tripsParsed");
    private final Counter rejected = Metrics.counter(ParseTrips.class, "tripsDeadLettered");
    private final Counter headers = Metrics.counter(ParseTrips.class, "headerLines");
    private final String source;

    ParseTripFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void processElement(@Element String line, MultiOutputReceiver out) {
      if (TaxiTripCsv.isHeader(line)) {
        headers.inc();
        return;
      }
      try {
        out.get(TRIPS).output(TaxiTripCsv.parse(line));
        parsed.inc();
      } catch (MalformedTripException e) {
        out.get(DEAD_LETTERS).output(Reject.ofLine(source, line, e.getMessage()));
        rejected.inc();
      }
    }
  }
}
