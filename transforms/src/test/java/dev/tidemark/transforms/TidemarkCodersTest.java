package dev.tidemark.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.model.Explanation;
import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.inference.AttentionPolicy;
import dev.tidemark.transforms.inference.FeatureDrift;
import dev.tidemark.transforms.inference.MonitoringRecord;
import dev.tidemark.transforms.inference.ReviewRecord;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.graph.ChampionChallengerReport;
import dev.tidemark.transforms.skew.SkewBuckets;
import dev.tidemark.transforms.skew.SkewHistogram;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;

/**
 * The registered coders of the domain records: each round-trips, is deterministic, and is what Beam
 * picks for the type by default (so no pipeline falls back to Java serialization).
 */
public class TidemarkCodersTest {

  private static final LogPosition AT_42 = new LogPosition("trips", 1, 42);
  private static final byte[] LINE = "8,12.45,5".getBytes(StandardCharsets.UTF_8);

  /** A parse reject of a Kafka record (position, key, value) and of a file line (none). */
  @Test
  public void rejectsRoundTripWithAndWithoutPosition() throws Exception {
    for (Reject r :
        new Reject[] {
          Reject.ofRecord(AT_42, "k".getBytes(StandardCharsets.UTF_8), LINE, "fare is missing"),
          Reject.ofLine("trips.csv", "8,12.45,5", "expected 18 fields"),
          new Reject("scoring", "the model call failed", null, null, null)
        }) {
      check(TidemarkCoders.REJECT, r);
    }
  }

  /** Log records of a topic and of an archive, with empty and missing values. */
  @Test
  public void logRecordsRoundTrip() throws Exception {
    check(TidemarkCoders.LOG_RECORD, LogRecord.at(AT_42, null, LINE));
    check(TidemarkCoders.LOG_RECORD, new LogRecord("archive/2013-03-01.jsonl", null, null, null));
    check(TidemarkCoders.LOG_POSITION, AT_42);
  }

  /**
   * Predictions of a single model and of a graph, with features (NaN for a missing value) and
   * without. (Not deterministic in Beam's sense, as no coder of doubles is: never a key.)
   */
  @Test
  public void predictionsRoundTrip() throws Exception {
    roundTrip(
        TidemarkCoders.TRIP_PREDICTION,
        new TripPrediction(
            "00000000000000ab",
            1_362_650_400_000L,
            0.73,
            "taxi-tips",
            "v2",
            4,
            new float[] {1.5f, Float.NaN, 0f}));
    roundTrip(
        TidemarkCoders.TRIP_PREDICTION,
        new TripPrediction(
            "00000000000000ac",
            0L,
            0.5,
            "graph",
            "g1",
            0,
            null,
            java.util.List.of(
                new StepOutput("champion", "taxi-tips", "v2", 0.5),
                new StepOutput("challenger", "taxi-tips-deep", "v1", 0.25))));
  }

  /** Reviews with an explanation and with an error, monitoring records, comparison reports. */
  @Test
  public void reviewsMonitoringAndComparisonRecordsRoundTrip() throws Exception {
    Explanation explanation =
        new Explanation(
            -0.5,
            1.25,
            0.777,
            List.of(
                new Explanation.Contribution("fare", 12.5, 1.5),
                new Explanation.Contribution("trip_miles", Double.NaN, 0.25)));
    roundTrip(
        TidemarkCoders.REVIEW_RECORD,
        new ReviewRecord(
            "00000000000000ab",
            1_362_650_400_000L,
            0.5,
            "taxi-tips",
            "v2",
            List.of("low confidence"),
            List.of(new AttentionPolicy.OutOfRange("fare", 900f, 3.25, null)),
            explanation,
            null));
    roundTrip(
        TidemarkCoders.REVIEW_RECORD,
        new ReviewRecord(
            "00000000000000ac",
            0L,
            0.4,
            "taxi-tips",
            "v2",
            List.of(),
            List.of(),
            null,
            "version v2 is not in the store"));
    SkewHistogram skew =
        SkewHistogram.of(
            org.joda.time.Instant.parse("2015-03-07T10:00:00Z"),
            org.joda.time.Instant.parse("2015-03-07T10:05:00Z"),
            SkewBuckets.standard(),
            List.of(0L, 1L, 2L, 3L, 0L, 0L, 0L, 9L));
    roundTrip(TidemarkCoders.SKEW_HISTOGRAM, skew);
    roundTrip(
        TidemarkCoders.SKEW_HISTOGRAM,
        SkewHistogram.of(
            null, null, SkewBuckets.standard(), List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L)));
    roundTrip(
        TidemarkCoders.MONITORING_RECORD,
        new MonitoringRecord(
            1_425_722_400_000L,
            1_425_722_700_000L,
            "ON_TIME",
            10,
            1,
            0,
            0.036,
            120_000,
            5,
            10,
            0.5,
            new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            List.of(new FeatureDrift("fare", 0, 10, 3.4, true, 0.4, 0.41)),
            skew));
    roundTrip(
        TidemarkCoders.CHAMPION_CHALLENGER_REPORT,
        new ChampionChallengerReport(
            1_425_722_400_000L,
            1_425_722_700_000L,
            "LATE",
            List.of(
                new ChampionChallengerReport.StepSummary(
                    "champion", List.of("taxi-tips@v2"), 4, 0.40625, 0.5)),
            List.of(
                new ChampionChallengerReport.PairSummary(
                    "champion", "challenger", 4, 0.15625, 0.75))));
  }

  /** Beam's default coders for the domain types are Tidemark's. */
  @Test
  public void beamPicksTheRegisteredCoders() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    assertEquals(TaxiTripCoder.of(), registry.getCoder(TaxiTrip.class));
    assertEquals(TidemarkCoders.REJECT, registry.getCoder(Reject.class));
    assertEquals(TidemarkCoders.LOG_RECORD, registry.getCoder(LogRecord.class));
    assertEquals(TidemarkCoders.TRIP_PREDICTION, registry.getCoder(TripPrediction.class));
    assertEquals(TidemarkCoders.REVIEW_RECORD, registry.getCoder(ReviewRecord.class));
    assertEquals(TidemarkCoders.MONITORING_RECORD, registry.getCoder(MonitoringRecord.class));
    assertEquals(TidemarkCoders.SKEW_HISTOGRAM, registry.getCoder(SkewHistogram.class));
    assertEquals(
        TidemarkCoders.CHAMPION_CHALLENGER_REPORT,
        registry.getCoder(ChampionChallengerReport.class));
  }

  /** Decoded components are checked by the record's constructor: partition -1 is refused. */
  @Test
  public void invalidDecodedComponentsAreRefused() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.apache.beam.sdk.coders.StringUtf8Coder.of().encode("trips", bytes);
    org.apache.beam.sdk.coders.VarIntCoder.of().encode(-1, bytes);
    org.apache.beam.sdk.coders.VarLongCoder.of().encode(0L, bytes);
    assertThrows(
        org.apache.beam.sdk.coders.CoderException.class,
        () ->
            TidemarkCoders.LOG_POSITION.decode(
                new java.io.ByteArrayInputStream(bytes.toByteArray())));
  }

  private static <T> void roundTrip(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderSerializable(coder);
    CoderProperties.structuralValueDecodeEncodeEqual(coder, value);
  }

  private static <T> void check(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, value);
    CoderProperties.coderSerializable(coder);
    CoderProperties.structuralValueDecodeEncodeEqual(coder, value);
  }
}
