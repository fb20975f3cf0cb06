package dev.tidemark.pipelines.inference;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.transforms.TidemarkCoders;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.inference.AttentionPolicy;
import dev.tidemark.transforms.inference.ExplainForReview;
import dev.tidemark.transforms.inference.MonitorPredictions;
import dev.tidemark.transforms.inference.MonitoringRecord;
import dev.tidemark.transforms.inference.ReviewRecord;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.graph.ChampionChallengerReport;
import dev.tidemark.transforms.inference.graph.CompareChampionChallenger;
import dev.tidemark.transforms.inference.graph.InferenceGraph;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec;
import dev.tidemark.transforms.inference.graph.StepResolver;
import dev.tidemark.transforms.late.LateElement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The specification of the whole inference graph of {@code predict-tips}, without Kafka: trip
 * events from a TestStream go through parse, features, an inference graph (champion v1 and
 * challenger v2 in shadow, both in process from a model store), review, the champion/challenger
 * comparison and monitoring, with on-time, late and too-late events and a malformed record.
 *
 * <p>Expected values come from elsewhere: probabilities from xgboost4j called one trip at a time on
 * each version's files ({@link TipModels#oneByOne}); which predictions need review from those
 * probabilities and the band; window and pane contents by hand from the event times below.
 *
 * <p>Timeline (event time; monitoring and comparison windows of 5 min, 30 min allowed lateness):
 * trips 0–3 at 10:00–10:03 and a malformed record at 10:02; the watermark passes 10:05 (on-time
 * panes); trip 4 at 10:04 arrives late, within the lateness (late panes); the watermark passes
 * 10:35, the window expires; trip 5 at 10:01 arrives too late: captured, never dropped.
 */
public class PredictAndMonitorTipsTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String V1 = "20261127T090000Z";
  private static final String V2 = "20261127T100000Z";
  private static final IntervalWindow TEN_TO_FIVE_PAST =
      new IntervalWindow(at("10:00"), Duration.standardMinutes(5));

  private static String store;
  private static List<TaxiTrip> trips;
  private static HashMap<String, Float> champion;
  private static HashMap<String, Float> challenger;
  private static FeatureReference reference;

  @BeforeClass
  public static void trainChampionAndChallenger() throws IOException {
    List<TaxiTrip> sample = TipModels.trips(600);
    Map<String, byte[]> v1 = TipModels.train(sample.subList(0, 400), 20);
    Map<String, byte[]> v2 = TipModels.train(sample.subList(200, 600), 30);
    store = TMP.newFolder("models").getAbsolutePath();
    TipModels.publish(store, V1, v1);
    TipModels.publish(store, V2, v2);
    trips = sample.subList(500, 506);
    champion = new HashMap<>(TipModels.oneByOne(v1, trips));
    challenger = new HashMap<>(TipModels.oneByOne(v2, trips));
    reference = FeatureReference.fromJson(new String(v1.get(ModelFiles.REFERENCE), UTF_8));
  }

  private static Instant at(String hhmm) {
    return Instant.parse("2015-03-07T" + hhmm + ":00Z");
  }

  private static TimestampedValue<LogRecord> event(int offset, byte[] value, String hhmm) {
    return TimestampedValue.of(
        LogRecord.at(new LogPosition("trips", 0, offset), null, value), at(hhmm));
  }

  private static TimestampedValue<LogRecord> trip(int i, String hhmm) {
    return event(i, TaxiTripJson.toJson(trips.get(i)), hhmm);
  }

  private static String id(int i) {
    return TripSplit.tripId(trips.get(i));
  }

  /** The band of the review step: the champion's median of the six trips, and above. */
  private static double bandLow() {
    List<Float> p = new ArrayList<>(champion.values());
    p.sort(null);
    return p.get(3);
  }

  private PCollectionTuple runGraph() {
    TestStream<LogRecord> events =
        TestStream.create(TidemarkCoders.LOG_RECORD)
            .addElements(
                trip(0, "10:00"),
                trip(1, "10:01"),
                event(6, "{\"fare\":3.0,\"trip_start_timestamp\":".getBytes(UTF_8), "10:02"),
                trip(2, "10:02"),
                trip(3, "10:03"))
            .advanceWatermarkTo(at("10:06"))
            .addElements(trip(4, "10:04"))
            .advanceWatermarkTo(at("10:40"))
            .addElements(trip(5, "10:01"))
            .advanceWatermarkToInfinity();
    InferenceGraphSpec spec =
        InferenceGraphSpec.parse(
            "shadow.yaml",
            "apiVersion: serving.kserve.io/v1alpha1\n"
                + "kind: InferenceGraph\n"
                + "metadata: {name: shadow}\n"
                + "spec:\n"
                + "  nodes:\n"
                + "    root:\n"
                + "      routerType: Ensemble\n"
                + "      steps:\n"
                + "        - name: champion\n"
                + "          serviceName: taxi-tips@"
                + V1
                + "\n"
                + "        - name: challenger\n"
                + "          serviceName: taxi-tips@"
                + V2
                + "\n");
    StepResolver models =
        StepResolver.models(store, java.time.Duration.ofMinutes(1), ProcessingClock.system());
    return pipeline
        .apply("TripEvents", events)
        .apply(
            "PredictAndMonitorTips",
            PredictAndMonitorTips.of(
                    ScoreTrips.with(InferenceGraph.factory(spec, models)),
                    ExplainForReview.withModelsFrom(store)
                        .withPolicy(
                            AttentionPolicy.defaults()
                                .withConfidenceBand(bandLow(), 1.0)
                                .withRangeCheck(false)),
                    MonitorPredictions.against(reference))
                .withComparison(CompareChampionChallenger.of("champion")));
  }

  /** Every trip is scored by both steps, the champion's answer being the prediction. */
  @Test
  public void everyTripIsScoredByChampionAndChallenger() {
    PCollectionTuple out = runGraph();
    PAssert.that(out.get(PredictAndMonitorTips.PREDICTIONS))
        .satisfies(new ScoredLikeOneByOne(champion, challenger, V1, V2));
    pipeline.run().waitUntilFinish();
  }

  /** The malformed record is the one dead letter, with its reason and its position. */
  @Test
  public void theMalformedRecordIsTheOneDeadLetter() {
    PCollectionTuple out = runGraph();
    PAssert.that(
            out.get(PredictAndMonitorTips.DEAD_LETTERS)
                .apply(
                    "Describe",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject r) -> r.position() + " " + r.reason().isEmpty())))
        .containsInAnyOrder(new LogPosition("trips", 0, 6) + " false");
    pipeline.run().waitUntilFinish();
  }

  /** Exactly the predictions in the band go to review, explained by the version that scored. */
  @Test
  public void predictionsInTheBandAreReviewed() {
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < 6; i++) {
      if (champion.get(id(i)) >= bandLow()) {
        expected.add(id(i) + " " + V1);
      }
    }
    assertThat(expected, not(empty()));
    assertThat(expected.size() < 6, equalTo(true));
    PCollectionTuple out = runGraph();
    PAssert.that(
            out.get(PredictAndMonitorTips.REVIEWS)
                .apply(
                    "Describe",
                    MapElements.into(TypeDescriptors.strings())
                        .via((ReviewRecord r) -> r.tripId() + " " + r.version())))
        .containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  /**
   * Monitoring: 4 predictions and the dead letter on time, trip 4 in a late pane, trip 5 captured
   * as too late: 7 events in = 5 + 1 + 1.
   */
  @Test
  public void monitoringHasOnTimeAndLatePanesAndCapturesTheTooLateTrip() {
    PCollectionTuple out = runGraph();
    PCollection<String> records =
        out.get(PredictAndMonitorTips.MONITORING)
            .apply(
                "Describe",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (MonitoringRecord r) ->
                            r.timing()
                                + " predictions="
                                + r.predictions()
                                + " deadLetters="
                                + r.deadLetters()
                                + " late="
                                + r.lateEvents()
                                + " skewed="
                                + r.skew().total()));
    PAssert.that(records)
        .inOnTimePane(TEN_TO_FIVE_PAST)
        .containsInAnyOrder("ON_TIME predictions=4 deadLetters=1 late=0 skewed=4");
    PAssert.that(records)
        .inWindow(TEN_TO_FIVE_PAST)
        .containsInAnyOrder(
            "ON_TIME predictions=4 deadLetters=1 late=0 skewed=4",
            "LATE predictions=1 deadLetters=0 late=1 skewed=1");
    PAssert.that(
            out.get(PredictAndMonitorTips.MONITORING_LATE)
                .apply("DescribeLate", MapElements.via(new DescribeLateFn())))
        .containsInAnyOrder(
            TEN_TO_FIVE_PAST + " {\"event\":\"prediction\",\"tripId\":\"" + id(5) + "\"");
    pipeline.run().waitUntilFinish();
  }

  /**
   * The comparison: the champion against the challenger over trips 0–3 on time, trip 4 late, trip 5
   * captured; the mean absolute difference and the agreement recomputed from one-by-one calls.
   */
  @Test
  public void theComparisonPairsChampionAndChallenger() {
    PCollectionTuple out = runGraph();
    PAssert.that(out.get(PredictAndMonitorTips.COMPARISONS))
        .satisfies(
            new ComparedLikeOneByOne(
                champion, challenger, List.of(id(0), id(1), id(2), id(3)), id(4)));
    PAssert.that(
            out.get(PredictAndMonitorTips.COMPARISONS_LATE)
                .apply("DescribeLate", MapElements.via(new DescribeLateFn())))
        .containsInAnyOrder(TEN_TO_FIVE_PAST + " {\"tripId\":\"" + id(5) + "\"");
    pipeline.run().waitUntilFinish();
  }

  /** The window and the start of the element's JSON, up to its trip id. */
  static final class DescribeLateFn
      extends org.apache.beam.sdk.transforms.SimpleFunction<LateElement<String>, String> {
    @Override
    public String apply(LateElement<String> l) {
      String json = l.element();
      int end = json.indexOf('"', json.indexOf("\"tripId\":\"") + 10);
      return l.window() + " " + json.substring(0, end + 1);
    }
  }

  /** Each prediction's steps hold both versions' one-by-one probabilities. */
  static final class ScoredLikeOneByOne
      implements SerializableFunction<Iterable<TripPrediction>, Void> {
    private final HashMap<String, Float> champion;
    private final HashMap<String, Float> challenger;
    private final String v1;
    private final String v2;

    ScoredLikeOneByOne(
        HashMap<String, Float> champion, HashMap<String, Float> challenger, String v1, String v2) {
      this.champion = champion;
      this.challenger = challenger;
      this.v1 = v1;
      this.v2 = v2;
    }

    @Override
    public Void apply(Iterable<TripPrediction> predictions) {
      TreeSet<String> seen = new TreeSet<>();
      for (TripPrediction p : predictions) {
        seen.add(p.tripId());
        assertThat(p.probability(), closeTo(champion.get(p.tripId()), 1e-6));
        assertThat(p.steps().size(), equalTo(2));
        for (StepOutput s : p.steps()) {
          boolean isChampion = s.step().equals("champion");
          assertThat(s.version(), equalTo(isChampion ? v1 : v2));
          assertThat(
              s.probability(), closeTo((isChampion ? champion : challenger).get(p.tripId()), 1e-6));
        }
      }
      assertThat(seen, equalTo(new TreeSet<>(champion.keySet())));
      return null;
    }
  }

  /** The on-time and late reports hold the pairs of their trips, figures recomputed here. */
  static final class ComparedLikeOneByOne
      implements SerializableFunction<Iterable<ChampionChallengerReport>, Void> {
    private final HashMap<String, Float> champion;
    private final HashMap<String, Float> challenger;
    private final ArrayList<String> onTime;
    private final String late;

    ComparedLikeOneByOne(
        HashMap<String, Float> champion,
        HashMap<String, Float> challenger,
        List<String> onTime,
        String late) {
      this.champion = champion;
      this.challenger = challenger;
      this.onTime = new ArrayList<>(onTime);
      this.late = late;
    }

    @Override
    public Void apply(Iterable<ChampionChallengerReport> reports) {
      List<String> timings = new ArrayList<>();
      for (ChampionChallengerReport r : reports) {
        timings.add(r.timing());
        List<String> ids = r.timing().equals("ON_TIME") ? onTime : List.of(late);
        double diff = 0;
        long agree = 0;
        for (String id : ids) {
          diff += Math.abs(champion.get(id) - challenger.get(id));
          agree += (champion.get(id) >= 0.5) == (challenger.get(id) >= 0.5) ? 1 : 0;
        }
        assertThat(r.pairs().size(), equalTo(1));
        ChampionChallengerReport.PairSummary pair = r.pairs().get(0);
        assertThat(pair.pairs(), equalTo((long) ids.size()));
        assertThat(pair.meanAbsoluteDifference(), closeTo(diff / ids.size(), 1e-6));
        assertThat(pair.agreementRate(), closeTo((double) agree / ids.size(), 1e-12));
      }
      timings.sort(null);
      assertThat(timings, equalTo(List.of("LATE", "ON_TIME")));
      return null;
    }
  }
}
