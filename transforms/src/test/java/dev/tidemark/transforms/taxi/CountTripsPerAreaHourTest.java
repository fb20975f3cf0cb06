package dev.tidemark.transforms.taxi;

import static org.junit.Assert.assertEquals;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.late.LateElement;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Trips per area and hour on the windowing library: an hour's on-time total, late trips that update
 * it (accumulating) within the allowed lateness, and a too-late trip that is captured with its
 * window and reason instead of being dropped. Event times are on 2013-03-07 (UTC).
 */
public class CountTripsPerAreaHourTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** 09:00 and 10:00 on 2013-03-07 (UTC), in Unix seconds. */
  private static final long NINE = 1_362_646_800L;

  private static final long TEN = NINE + 3600;

  private static org.joda.time.Instant at(long seconds) {
    return new org.joda.time.Instant(seconds * 1000);
  }

  /**
   * A trip from {@code area} ({@code null}: unknown) starting at {@code start} for {@code fare}.
   */
  private static TaxiTrip trip(Integer area, long start, double fare) {
    return new TaxiTrip(
        area, fare, 3, 9, 5, start, null, null, null, null, 1.0, null, null, "Cash", null, 300,
        null, 0.0);
  }

  private static TimestampedValue<TaxiTrip> event(Integer area, long start, double fare) {
    // The reader stamps a trip event with its start.
    return TimestampedValue.of(trip(area, start, fare), at(start));
  }

  private static final IntervalWindow NINE_O_CLOCK = new IntervalWindow(at(NINE), at(TEN));

  /**
   * The Loop (area 8) at 09:00: two trips on time, one late within 30 minutes of allowed lateness
   * (a late pane with the updated total), one after the window expired (captured, not counted).
   */
  @Test
  public void lateTripsUpdateTheHourThenTooLateOnesAreCaptured() {
    TestStream<TaxiTrip> trips =
        TestStream.create(TaxiTripCoder.of())
            .advanceWatermarkTo(at(NINE))
            .addElements(event(8, NINE + 600, 9.25), event(8, NINE + 1800, 12.50))
            .advanceWatermarkTo(at(TEN + 60)) // 10:01: the 09:00 hour fires on time
            .addElements(event(8, NINE + 2400, 5.00)) // late, within the lateness: a late pane
            .advanceWatermarkTo(at(TEN + 3600)) // 11:00: the hour expired at 10:30
            .addElements(event(8, NINE + 3000, 40.00)) // too late: captured
            .advanceWatermarkToInfinity();

    PCollectionTuple out =
        p.apply(trips)
            .apply(
                "CountTrips",
                CountTripsPerAreaHour.perHour().withLateUpdates(Duration.standardMinutes(30)));

    Instant nine = Instant.ofEpochSecond(NINE);
    PAssert.that(out.get(CountTripsPerAreaHour.TOTALS))
        .inOnTimePane(NINE_O_CLOCK)
        .containsInAnyOrder(new AreaHourTotal("8", nine, 2, 2175));
    PAssert.that(out.get(CountTripsPerAreaHour.TOTALS))
        .inLatePane(NINE_O_CLOCK)
        .containsInAnyOrder(new AreaHourTotal("8", nine, 3, 2675));
    PAssert.that(
            out.get(CountTripsPerAreaHour.LATE)
                .apply("Describe", MapElements.via(new DescribeFn())))
        .containsInAnyOrder(
            "8 4000 at 2013-03-07T09:50:00Z in [2013-03-07T09:00:00.000Z..2013-03-07T10:00:00.000Z)"
                + " window [2013-03-07T09:00:00.000Z..2013-03-07T10:00:00.000Z) expired at"
                + " 2013-03-07T10:29:59.999Z (end + 30m allowed lateness); watermark was"
                + " 2013-03-07T11:00:00.000Z");
    p.run().waitUntilFinish();
  }

  /** Without allowed lateness, one on-time total per hour and every late trip captured. */
  @Test
  public void withoutLatenessEveryLateTripIsCaptured() {
    TestStream<TaxiTrip> trips =
        TestStream.create(TaxiTripCoder.of())
            .advanceWatermarkTo(at(NINE))
            .addElements(event(8, NINE + 600, 9.25), event(null, NINE + 700, 7.00))
            .advanceWatermarkTo(at(TEN)) // the hour ends: on-time panes
            .addElements(event(8, NINE + 900, 3.10)) // late at once
            .advanceWatermarkToInfinity();
    PCollectionTuple out = p.apply(trips).apply("CountTrips", CountTripsPerAreaHour.perHour());
    Instant nine = Instant.ofEpochSecond(NINE);
    PAssert.that(out.get(CountTripsPerAreaHour.TOTALS))
        .containsInAnyOrder(
            new AreaHourTotal("8", nine, 1, 925),
            new AreaHourTotal(CountTripsPerAreaHour.UNKNOWN_AREA, nine, 1, 700));
    PAssert.that(
            out.get(CountTripsPerAreaHour.LATE).apply("Describe", MapElements.via(new KeyFn())))
        .containsInAnyOrder("8 310");
    p.run().waitUntilFinish();
  }

  /** A batch (bounded) input: every trip counted, nothing late, exact cents. */
  @Test
  public void boundedTripsAreAllCounted() {
    PCollectionTuple out =
        p.apply(
                Create.of(
                        List.of(
                            trip(8, NINE + 10, 9.25),
                            trip(8, NINE + 3599, 0.01),
                            trip(8, TEN, 100.0),
                            trip(32, NINE + 20, 4.45)))
                    .withCoder(TaxiTripCoder.of()))
            .apply("CountTrips", CountTripsPerAreaHour.perHour());
    PAssert.that(out.get(CountTripsPerAreaHour.TOTALS))
        .containsInAnyOrder(
            new AreaHourTotal("8", Instant.ofEpochSecond(NINE), 2, 926),
            new AreaHourTotal("8", Instant.ofEpochSecond(TEN), 1, 10000),
            new AreaHourTotal("32", Instant.ofEpochSecond(NINE), 1, 445));
    PAssert.that(out.get(CountTripsPerAreaHour.LATE)).empty();
    p.run().waitUntilFinish();
  }

  /** The coders of the totals and of the accumulator round-trip and are deterministic. */
  @Test
  public void codersRoundTrip() throws Exception {
    AreaHourTotal t = new AreaHourTotal("unknown", Instant.ofEpochSecond(NINE), 3, -45);
    CoderProperties.coderDecodeEncodeEqual(AreaHourTotal.coder(), t);
    CoderProperties.coderDeterministic(AreaHourTotal.coder(), t, t);
    CoderProperties.coderSerializable(AreaHourTotal.coder());
    CountTripsPerAreaHour.Totals totals = new CountTripsPerAreaHour.Totals(12, 123_456_789L);
    CoderProperties.coderDecodeEncodeEqual(CountTripsPerAreaHour.TotalsCoder.INSTANCE, totals);
    long[] acc = {7, 1999};
    long[] back =
        org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
            CountTripsPerAreaHour.CountAndSumCoder.INSTANCE,
            org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
                CountTripsPerAreaHour.CountAndSumCoder.INSTANCE, acc));
    assertEquals(7, back[0]);
    assertEquals(1999, back[1]);
  }

  /** Area, cents, event time, window and reason of a late trip. */
  static final class DescribeFn extends SimpleFunction<LateElement<KV<String, Long>>, String> {
    @Override
    public String apply(LateElement<KV<String, Long>> l) {
      return l.element().getKey()
          + " "
          + l.element().getValue()
          + " at "
          + Instant.ofEpochMilli(l.timestamp().getMillis())
          + " in "
          + l.window()
          + " "
          + l.reason();
    }
  }

  /** Area and cents of a late trip. */
  static final class KeyFn extends SimpleFunction<LateElement<KV<String, Long>>, String> {
    @Override
    public String apply(LateElement<KV<String, Long>> l) {
      return l.element().getKey() + " " + l.element().getValue();
    }
  }
}
