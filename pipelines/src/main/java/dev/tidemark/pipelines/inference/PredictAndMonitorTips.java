package dev.tidemark.pipelines.inference;

import dev.tidemark.core.reject.Reject;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.eventlog.ParseTripEvents;
import dev.tidemark.transforms.inference.ExplainForReview;
import dev.tidemark.transforms.inference.MonitorPredictions;
import dev.tidemark.transforms.inference.MonitoringRecord;
import dev.tidemark.transforms.inference.ReviewRecord;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.graph.ChampionChallengerReport;
import dev.tidemark.transforms.inference.graph.CompareChampionChallenger;
import dev.tidemark.transforms.late.LateElement;
import java.util.Objects;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The whole taxi-tips inference graph of {@link PredictTips}, between a source and sinks that it
 * does not know: trip events (any {@link LogRecord} source — Kafka, an archive, a TestStream) are
 * parsed, scored in batches (one model or an inference graph), the predictions that need attention
 * are explained, the graph's steps are compared champion against challengers, and everything is
 * monitored per event-time window. Bad records and trips that could not be scored are dead letters.
 *
 * <p>Steps, by name: {@code ParseTripEvents}, {@code ScoreTrips}, {@code ExplainForReview}, {@code
 * CompareChampionChallenger} (only when configured, i.e. with an inference graph), {@code
 * AllDeadLetters}, {@code MonitorPredictions}.
 *
 * <p>Outputs, by tag: {@link #PREDICTIONS}, {@link #REVIEWS}, {@link #DEAD_LETTERS}, {@link
 * #MONITORING} and its too-late events {@link #MONITORING_LATE}; with a comparison, {@link
 * #COMPARISONS} and {@link #COMPARISONS_LATE} (check with {@code has}). Every event read is exactly
 * one prediction or one dead letter; every prediction and dead letter is in exactly one monitoring
 * pane or captured on {@link #MONITORING_LATE}.
 *
 * <pre>{@code
 * PCollectionTuple out = events.apply("PredictAndMonitorTips",
 *     PredictAndMonitorTips.of(ScoreTrips.with(scorer), ExplainForReview.withModelsFrom(store),
 *         MonitorPredictions.against(reference)).withComparison(CompareChampionChallenger.of("a")));
 * }</pre>
 */
public final class PredictAndMonitorTips
    extends PTransform<PCollection<LogRecord>, PCollectionTuple> {

  /** The predictions, one per trip scored. */
  public static final TupleTag<TripPrediction> PREDICTIONS = new TupleTag<TripPrediction>() {};

  /** The predictions that need attention, with their explanation. */
  public static final TupleTag<ReviewRecord> REVIEWS = new TupleTag<ReviewRecord>() {};

  /** Unparseable records and trips that could not be scored. */
  public static final TupleTag<Reject> DEAD_LETTERS = new TupleTag<Reject>() {};

  /** One monitoring record per window and pane. */
  public static final TupleTag<MonitoringRecord> MONITORING = new TupleTag<MonitoringRecord>() {};

  /** Predictions and dead letters too late for their monitoring window. */
  public static final TupleTag<LateElement<String>> MONITORING_LATE =
      new TupleTag<LateElement<String>>() {};

  /** One champion/challenger report per window and pane (with a comparison only). */
  public static final TupleTag<ChampionChallengerReport> COMPARISONS =
      new TupleTag<ChampionChallengerReport>() {};

  /** Predictions too late for their comparison window (with a comparison only). */
  public static final TupleTag<LateElement<String>> COMPARISONS_LATE =
      new TupleTag<LateElement<String>>() {};

  private final ScoreTrips score;
  private final ExplainForReview review;
  private final MonitorPredictions monitor;
  private final CompareChampionChallenger compare;

  private PredictAndMonitorTips(
      ScoreTrips score,
      ExplainForReview review,
      MonitorPredictions monitor,
      CompareChampionChallenger compare) {
    this.score = Objects.requireNonNull(score, "score");
    this.review = Objects.requireNonNull(review, "review");
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.compare = compare;
  }

  /** Scores with {@code score}, explains with {@code review}, monitors with {@code monitor}. */
  public static PredictAndMonitorTips of(
      ScoreTrips score, ExplainForReview review, MonitorPredictions monitor) {
    return new PredictAndMonitorTips(score, review, monitor, null);
  }

  /** Also compares the steps of an inference graph with {@code compare}. */
  public PredictAndMonitorTips withComparison(CompareChampionChallenger compare) {
    return new PredictAndMonitorTips(score, review, monitor, compare);
  }

  @Override
  public PCollectionTuple expand(PCollection<LogRecord> events) {
    PCollectionTuple parsed = events.apply("ParseTripEvents", new ParseTripEvents());
    PCollectionTuple scored = parsed.get(ParseTripEvents.TRIPS).apply("ScoreTrips", score);
    PCollection<TripPrediction> predictions = scored.get(ScoreTrips.PREDICTIONS);

    PCollection<ReviewRecord> reviews = predictions.apply("ExplainForReview", review);

    PCollection<Reject> deadLetters =
        PCollectionList.of(parsed.get(ParseTripEvents.REJECTED))
            .and(scored.get(ScoreTrips.FAILED))
            .apply("AllDeadLetters", Flatten.pCollections());

    PCollectionTuple monitored =
        PCollectionTuple.of(MonitorPredictions.PREDICTIONS, predictions)
            .and(
                MonitorPredictions.DEAD_LETTERS,
                deadLetters
                    .apply("DeadLetterReason", MapElements.via(new ReasonFn()))
                    .setCoder(StringUtf8Coder.of()))
            .apply("MonitorPredictions", monitor);

    PCollectionTuple out =
        PCollectionTuple.of(PREDICTIONS, predictions)
            .and(REVIEWS, reviews)
            .and(DEAD_LETTERS, deadLetters)
            .and(MONITORING, monitored.get(MonitorPredictions.RECORDS))
            .and(MONITORING_LATE, monitored.get(MonitorPredictions.LATE));
    if (compare != null) {
      PCollectionTuple compared = predictions.apply("CompareChampionChallenger", compare);
      out =
          out.and(COMPARISONS, compared.get(CompareChampionChallenger.REPORTS))
              .and(COMPARISONS_LATE, compared.get(CompareChampionChallenger.LATE));
    }
    return out;
  }

  /** The reason of a dead letter, for monitoring. */
  static final class ReasonFn extends SimpleFunction<Reject, String> {
    @Override
    public String apply(Reject r) {
      return r.reason();
    }

    @Override
    public TypeDescriptor<String> getOutputTypeDescriptor() {
      return TypeDescriptor.of(String.class);
    }
  }
}
