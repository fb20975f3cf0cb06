package dev.tidemark.transforms.taxi;

import dev.tidemark.core.trip.TaxiTrip;
import java.io.Serializable;
import java.time.Instant;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Trip count and fare sum per pickup community area per hour of event time (the trip start).
 *
 * <p>Concepts: event time assigned from the payload; fixed (tumbling) one-hour windows; the default
 * trigger (one on-time pane per window when the watermark passes its end). Fares are summed in
 * whole cents so that the result does not depend on the order in which a runner adds them.
 */
public final class CountTripsPerAreaHour
    extends PTransform<PCollection<TaxiTrip>, PCollection<AreaHourTotal>> {

  /** The width of a window: one hour of event time. */
  public static final Duration HOUR = Duration.standardHours(1);

  /** Key of trips without a pickup community area. */
  public static final String UNKNOWN_AREA = "unknown";

  @Override
  public PCollection<AreaHourTotal> expand(PCollection<TaxiTrip> trips) {
    return trips
        .apply("StampWithTripStart", WithTimestamps.of(new TripStartFn()))
        .apply("WindowByHour", Window.into(FixedWindows.of(HOUR)))
        .apply("KeyByPickupArea", MapElements.via(new KeyByPickupAreaFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TaxiTripCoder.of()))
        .apply("CountAndSumFares", Combine.perKey(new CountAndSumFaresFn()))
        .apply("ToAreaHourTotal", ParDo.of(new ToAreaHourTotalFn()))
        .setCoder(SerializableCoder.of(AreaHourTotal.class));
  }

  /** The event time of a trip: its start. */
  static final class TripStartFn implements SerializableFunction<TaxiTrip, org.joda.time.Instant> {
    @Override
    public org.joda.time.Instant apply(TaxiTrip trip) {
      return org.joda.time.Instant.ofEpochMilli(trip.tripStartTimestamp() * 1000L);
    }
  }

  /** Keys a trip by its pickup community area. */
  static final class KeyByPickupAreaFn extends SimpleFunction<TaxiTrip, KV<String, TaxiTrip>> {
    @Override
    public KV<String, TaxiTrip> apply(TaxiTrip trip) {
      Integer area = trip.pickupCommunityArea();
      return KV.of(area == null ? UNKNOWN_AREA : area.toString(), trip);
    }

    @Override
    public TypeDescriptor<KV<String, TaxiTrip>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, TaxiTrip>>() {};
    }
  }

  /** Count and fare sum accumulator. */
  record Totals(long trips, long fareCents) implements Serializable {}

  /** Counts trips and sums their fares in cents. */
  static final class CountAndSumFaresFn extends Combine.CombineFn<TaxiTrip, Totals, Totals> {
    @Override
    public Totals createAccumulator() {
      return new Totals(0, 0);
    }

    @Override
    public Totals addInput(Totals acc, TaxiTrip trip) {
      return new Totals(acc.trips() + 1, acc.fareCents() + trip.fareCents());
    }

    @Override
    public Totals mergeAccumulators(Iterable<Totals> accs) {
      long trips = 0;
      long cents = 0;
      for (Totals t : accs) {
        trips += t.trips();
        cents += t.fareCents();
      }
      return new Totals(trips, cents);
    }

    @Override
    public Totals extractOutput(Totals acc) {
      return acc;
    }

    @Override
    public Coder<Totals> getAccumulatorCoder(CoderRegistry registry, Coder<TaxiTrip> inputCoder) {
      return SerializableCoder.of(Totals.class);
    }

    @Override
    public Coder<Totals> getDefaultOutputCoder(CoderRegistry registry, Coder<TaxiTrip> inputCoder) {
      return SerializableCoder.of(Totals.class);
    }
  }

  /** Attaches the window's start hour to each area's totals. */
  static final class ToAreaHourTotalFn extends DoFn<KV<String, Totals>, AreaHourTotal> {
    @ProcessElement
    public void processElement(
        @Element KV<String, Totals> areaTotals,
        IntervalWindow window,
        OutputReceiver<AreaHourTotal> out) {
      Totals t = areaTotals.getValue();
      out.output(
          new AreaHourTotal(
              areaTotals.getKey(),
              Instant.ofEpochMilli(window.start().getMillis()),
              t.trips(),
              t.fareCents()));
    }
  }
}
