package dev.tidemark.transforms.taxi;

import dev.tidemark.core.trip.TaxiTrip;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Drops trips with a zero fare (dirty rows of the sample: cancelled or test trips), counting them
 * ({@code zeroFareTripsDropped}). Version 2 of the per-area totals applies it; running it next to
 * version 1 over the retained log is the canary example of the Kappa architecture.
 */
public final class DropZeroFareTrips
    extends PTransform<PCollection<TaxiTrip>, PCollection<TaxiTrip>> {

  @Override
  public PCollection<TaxiTrip> expand(PCollection<TaxiTrip> trips) {
    return trips.apply("KeepPaidTrips", ParDo.of(new KeepPaidTripsFn())).setCoder(trips.getCoder());
  }

  /** Passes trips with a positive fare, counts the others. */
  static final class KeepPaidTripsFn extends DoFn<TaxiTrip, TaxiTrip> {
    private final Counter dropped =
        Metrics.counter(DropZeroFareTrips.class, "zeroFareTripsDropped");

    @ProcessElement
    public void processElement(@Element TaxiTrip trip, OutputReceiver<TaxiTrip> out) {
      if (trip.fareCents() > 0) {
        out.output(trip);
      } else {
        dropped.inc();
      }
    }
  }
}
