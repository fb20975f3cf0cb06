package dev.tidemark.transforms.taxi.training;

import static org.junit.Assert.assertEquals;

import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTripCsv;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

/** The preprocessing component on a handful of named lines. */
public class PreprocessTripsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String CARD_RIDE =
      "8,12.45,5,18,6,1431716400,41.899602111,-87.633308037,41.880994471,-87.632746489,2.3,,"
          + "17031320100,Credit Card,Taxi Affiliation Services,840,32,3.0";
  private static final String CASH_RIDE_SPARSE = ",7.25,,,,1431716400,,,,,,,,Cash,,,,0";
  private static final String ZERO_FARE =
      ",0,3,19,5,1362683700,,,,,0,,,Cash,Chicago Elite Cab Corp.,300,,0";
  private static final String UNKNOWN_PAYMENT = ",5.25,3,19,5,1362683700,,,,,0,,,Unknown,,300,,0";
  private static final String TRUNCATED = "8,12.45,5,18";
  private static final String NEW_YORK_PICKUP =
      "8,12.45,5,18,6,1431716400,40.7128,-74.0060,,,2.3,,,Cash,,840,,0";

  /** Clean lines pass, each bad line is rejected by its rule with the raw line, header skipped. */
  @Test
  public void cleanTripsPassAndRejectsCarryRuleAndRawLine() throws Exception {
    PCollectionTuple out =
        p.apply(
                "Lines",
                Create.of(
                    TaxiTripCsv.HEADER,
                    CARD_RIDE,
                    CASH_RIDE_SPARSE,
                    ZERO_FARE,
                    UNKNOWN_PAYMENT,
                    TRUNCATED,
                    NEW_YORK_PICKUP))
            .apply("Preprocess", PreprocessTrips.create());

    PAssert.that(out.get(PreprocessTrips.CLEAN_TRIPS))
        .containsInAnyOrder(TaxiTripCsv.parse(CARD_RIDE), TaxiTripCsv.parse(CASH_RIDE_SPARSE));
    PAssert.that(out.get(PreprocessTrips.REJECTS))
        .containsInAnyOrder(
            Reject.ofLine("FARE_NOT_POSITIVE", ZERO_FARE, "fare is zero or negative"),
            Reject.ofLine(
                "PAYMENT_TYPE_UNKNOWN",
                UNKNOWN_PAYMENT,
                "payment type is missing, Unknown or not a documented value"),
            Reject.ofLine(
                "MALFORMED_LINE", TRUNCATED, "expected 18 comma-separated fields, found 4"),
            Reject.ofLine(
                "PICKUP_OUTSIDE_CHICAGO",
                NEW_YORK_PICKUP,
                "pickup coordinates are outside the Chicago area"));
    PCollection<KV<String, Long>> perRule =
        out.get(PreprocessTrips.REJECTS).apply("CountRejects", new CountRejectsPerRule());
    PAssert.that(perRule)
        .containsInAnyOrder(
            KV.of("FARE_NOT_POSITIVE", 1L),
            KV.of("PAYMENT_TYPE_UNKNOWN", 1L),
            KV.of("MALFORMED_LINE", 1L),
            KV.of("PICKUP_OUTSIDE_CHICAGO", 1L));

    PipelineResult result = p.run();
    result.waitUntilFinish();
    // lines in (7) = clean (2) + rejects (4) + header (1)
    assertEquals(2, counter(result, "cleanTrips"));
    assertEquals(1, counter(result, "headerLines"));
    assertEquals(1, counter(result, "rejected.MALFORMED_LINE"));
    assertEquals(0, counter(result, "rejected.FARE_ABSURD"));
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PreprocessTrips.class, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
