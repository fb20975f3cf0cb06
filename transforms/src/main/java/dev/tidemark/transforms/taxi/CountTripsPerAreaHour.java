package dev.tidemark.transforms.taxi;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.ComputePanes;
import dev.tidemark.transforms.panes.Panes;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Trip count and fare sum per pickup community area per hour of event time (the trip start), on
 * Tidemark's windowing library: too-late trips are captured, never silently dropped.
 *
 * <p>Concepts: event time assigned from the payload; fixed (tumbling) one-hour windows; by default
 * Beam's default trigger (one on-time pane per window when the watermark passes its end) and no
 * allowed lateness; {@link #withLateUpdates} keeps windows open for {@code lateness} and fires an
 * accumulating late pane per late trip, so the newest pane of a window is always its complete total
 * (what a keyed output topic and the canary comparison read). Each trip is projected to what the
 * aggregation needs, its area and its fare in whole cents, before anything is shuffled; with
 * combiner lifting only partial totals cross the shuffle. Fares are summed in cents so that the
 * result does not depend on the order in which a runner adds them.
 *
 * <p>Outputs, by tag: {@link #TOTALS} one {@link AreaHourTotal} per area, hour and pane; {@link
 * #LATE} the trips that arrived after their hour's window expired, as (area, fare in cents) with
 * their event time, window and the reason. {@code trips in = trips counted in the newest pane of
 * each window + late}, exactly.
 */
public final class CountTripsPerAreaHour
    extends PTransform<PCollection<TaxiTrip>, PCollectionTuple> {

  /** The width of a window: one hour of event time. */
  public static final Duration HOUR = Duration.standardHours(1);

  /** Key of trips without a pickup community area. */
  public static final String UNKNOWN_AREA = "unknown";

  /** One total per area, hour and pane. */
  public static final TupleTag<AreaHourTotal> TOTALS = new TupleTag<AreaHourTotal>() {};

  /** Too-late trips, as (area, fare in cents), with their window and the reason. */
  public static final TupleTag<LateElement<KV<String, Long>>> LATE =
      new TupleTag<LateElement<KV<String, Long>>>() {};

  private final WindowingPolicy policy;

  private CountTripsPerAreaHour(WindowingPolicy policy) {
    this.policy = policy;
  }

  /** One on-time total per area and hour; trips late for their window are captured. */
  public static CountTripsPerAreaHour perHour() {
    return new CountTripsPerAreaHour(WindowingPolicy.of(WindowSpec.fixed(HOUR)));
  }

  /**
   * Keeps each hour open for {@code lateness} after its end: every late trip within it refires the
   * window with the updated total (accumulating), later ones are captured.
   */
  public CountTripsPerAreaHour withLateUpdates(Duration lateness) {
    return new CountTripsPerAreaHour(
        policy
            .withTrigger(TriggerSpec.parse("watermark(late=count(1))"))
            .withAccumulation(Accumulation.ACCUMULATING)
            .withAllowedLateness(lateness));
  }

  /** The windowing policy this aggregation runs. */
  public WindowingPolicy policy() {
    return policy;
  }

  @Override
  public PCollectionTuple expand(PCollection<TaxiTrip> trips) {
    Panes<String, Long, Totals> panes =
        trips
            .apply("KeyFareByPickupArea", ParDo.of(new KeyFareByPickupAreaFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("CountAndSumFares", ComputePanes.of(policy, new CountAndSumFaresFn()));
    PCollection<AreaHourTotal> totals =
        panes
            .panes()
            .apply("ToAreaHourTotal", ParDo.of(new ToAreaHourTotalFn()))
            .setCoder(AreaHourTotal.coder());
    return PCollectionTuple.of(TOTALS, totals).and(LATE, panes.late());
  }

  /** The JSON of a captured late trip: {@code {"pickup_area":"8","fare_cents":1225}}. */
  public static SerializableFunction<KV<String, Long>, String> lateTripJson() {
    return new LateTripJsonFn();
  }

  /** Area and fare in cents of a late trip, as JSON. */
  static final class LateTripJsonFn implements SerializableFunction<KV<String, Long>, String> {
    @Override
    public String apply(KV<String, Long> trip) {
      return "{\"pickup_area\":\"" + trip.getKey() + "\",\"fare_cents\":" + trip.getValue() + "}";
    }
  }

  /**
   * Stamps a trip with its start (event time) and keeps only what the totals need: the pickup area
   * as the key, the fare in cents as the value.
   */
  static final class KeyFareByPickupAreaFn extends DoFn<TaxiTrip, KV<String, Long>> {
    @ProcessElement
    public void processElement(@Element TaxiTrip trip, OutputReceiver<KV<String, Long>> out) {
      Integer area = trip.pickupCommunityArea();
      out.outputWithTimestamp(
          KV.of(area == null ? UNKNOWN_AREA : area.toString(), trip.fareCents()),
          new org.joda.time.Instant(trip.tripStartTimestamp() * 1000L));
    }
  }

  /**
   * Count and fare sum in cents: the accumulator and the output of {@link CountAndSumFaresFn}.
   *
   * @param trips number of trips
   * @param fareCents sum of their fares in cents
   */
  record Totals(long trips, long fareCents) {}

  /** Two varints: trips, then cents. */
  static final class TotalsCoder extends AtomicCoder<Totals> {
    static final TotalsCoder INSTANCE = new TotalsCoder();

    @Override
    public void encode(Totals t, OutputStream out) throws IOException {
      VarInt.encode(t.trips(), out);
      VarInt.encode(t.fareCents(), out);
    }

    @Override
    public Totals decode(InputStream in) throws IOException {
      return new Totals(VarInt.decodeLong(in), VarInt.decodeLong(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /** Counts trips and sums their fares in cents. */
  static final class CountAndSumFaresFn extends Combine.CombineFn<Long, long[], Totals> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] addInput(long[] acc, Long fareCents) {
      acc[0]++;
      acc[1] += fareCents;
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] merged = new long[2];
      for (long[] a : accs) {
        merged[0] += a[0];
        merged[1] += a[1];
      }
      return merged;
    }

    @Override
    public Totals extractOutput(long[] acc) {
      return new Totals(acc[0], acc[1]);
    }

    @Override
    public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return CountAndSumCoder.INSTANCE;
    }

    @Override
    public Coder<Totals> getDefaultOutputCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return TotalsCoder.INSTANCE;
    }
  }

  /** The accumulator {@code {trips, cents}} as two varints. */
  static final class CountAndSumCoder extends AtomicCoder<long[]> {
    static final CountAndSumCoder INSTANCE = new CountAndSumCoder();

    @Override
    public void encode(long[] acc, OutputStream out) throws IOException {
      VarInt.encode(acc[0], out);
      VarInt.encode(acc[1], out);
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      return new long[] {VarInt.decodeLong(in), VarInt.decodeLong(in)};
    }

    @Override
    public void verifyDeterministic() {}
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
