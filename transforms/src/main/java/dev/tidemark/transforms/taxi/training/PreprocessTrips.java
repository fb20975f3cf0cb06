package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
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
 * The preprocessing component: validates and cleans raw CSV lines of the taxi sample for training,
 * by the explicit rules of {@link TripRule}.
 *
 * <p>Outputs, by tag: {@link #CLEAN_TRIPS} the trips fit for training; {@link #REJECTS} every other
 * data line with the first rule it broke and the raw line. Header lines are skipped and counted
 * ({@code headerLines}), so {@code lines in = clean + rejects + header lines} holds exactly. Each
 * rule has a counter {@code rejected.<RULE>}.
 */
public final class PreprocessTrips extends PTransform<PCollection<String>, PCollectionTuple> {

  /** Trips that pass every rule. */
  public static final TupleTag<TaxiTrip> CLEAN_TRIPS = new TupleTag<TaxiTrip>() {};

  /** Lines that broke a rule, with the rule and the raw line. */
  public static final TupleTag<Reject> REJECTS = new TupleTag<Reject>() {};

  private PreprocessTrips() {}

  /** The preprocessing step. */
  public static PreprocessTrips create() {
    return new PreprocessTrips();
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple out =
        lines.apply(
            "ValidateTrip",
            ParDo.of(new PreprocessTripFn()).withOutputTags(CLEAN_TRIPS, TupleTagList.of(REJECTS)));
    out.get(CLEAN_TRIPS).setCoder(TaxiTripCoder.of());
    return out;
  }

  /** Parses and checks one line; counts every outcome. */
  static final class PreprocessTripFn extends DoFn<String, TaxiTrip> {
    private final Counter clean = Metrics.counter(PreprocessTrips.class, "cleanTrips");
    private final Counter headers = Metrics.counter(PreprocessTrips.class, "headerLines");
    private final Map<TripRule, Counter> rejected = new EnumMap<>(TripRule.class);

    PreprocessTripFn() {
      for (TripRule rule : TripRule.values()) {
        rejected.put(rule, Metrics.counter(PreprocessTrips.class, "rejected." + rule.name()));
      }
    }

    @ProcessElement
    public void processElement(@Element String line, MultiOutputReceiver out) {
      if (TaxiTripCsv.isHeader(line)) {
        headers.inc();
        return;
      }
      TaxiTrip trip;
      try {
        trip = TaxiTripCsv.parse(line);
      } catch (MalformedTripException e) {
        reject(out, TripRule.MALFORMED_LINE, e.getMessage(), line);
        return;
      }
      Optional<TripRule> broken = TripRule.firstBroken(trip);
      if (broken.isPresent()) {
        reject(out, broken.get(), broken.get().description(), line);
        return;
      }
      out.get(CLEAN_TRIPS).output(trip);
      clean.inc();
    }

    private void reject(MultiOutputReceiver out, TripRule rule, String detail, String line) {
      out.get(REJECTS).output(Reject.ofLine(rule.name(), line, detail));
      rejected.get(rule).inc();
    }
  }
}
