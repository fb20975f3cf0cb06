package dev.tidemark.transforms.inference;

import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.HotSwapModel;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.transforms.TidemarkCoders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Scores trips in batches with a {@link TripScorer}: by default the newest complete version of a
 * model from a model store, in process, hot-swapped when a newer version is published ({@link
 * #withModelFrom}); or any other scorer ({@link #with}: a model server, an inference graph, a no-op
 * baseline).
 *
 * <p>Batching: {@link BatchPredictFn} buffers the elements of a bundle and scores them in
 * {@code @FinishBundle}, one scorer call per {@link #withMaxBatchSize max batch size} elements. The
 * buffering delay is therefore bounded by the runner's bundle duration (FlinkRunner: {@code
 * --maxBundleTimeMills}, default 1 s; the DirectRunner's bundles of a Kafka read are short) and the
 * batch size by the bundle size. Each element keeps its timestamp and window. Beam's model asks a
 * runner to hold the output watermark at the oldest element buffered in an open bundle; the
 * FlinkRunner does not (apache/beam#28649), so on Flink a prediction can come out behind the
 * watermark: windowed consumers downstream see it in a late pane within their allowed lateness
 * (live, the delay is at most one bundle), and replays that move event time fast want a generous
 * allowed lateness (docs/inference.md, "Batching and the watermark").
 *
 * <p>Hot swap: {@link HotSwapModel} polls the store at most once per {@link #withPollInterval poll
 * interval}; a batch takes one version and is scored by it entirely, so no element is lost or
 * scored twice across a swap.
 *
 * <p>Outputs, by tag: {@link #PREDICTIONS} one {@link TripPrediction} per scored trip; {@link
 * #FAILED} one {@link Reject} per trip that could not be scored (source {@value #SOURCE}, key the
 * trip id, payload the trip as a trip event, so that it can be re-published as is). {@code trips in
 * = predictions + failures}, exactly (counters {@code tripsScored}, {@code tripsNotScored}). The
 * latency of a prediction is the time from the trip's arrival at this step to its answer, so it
 * includes the buffering delay.
 */
public final class ScoreTrips extends PTransform<PCollection<TaxiTrip>, PCollectionTuple> {

  /** One prediction per scored trip. */
  public static final TupleTag<TripPrediction> PREDICTIONS = new TupleTag<TripPrediction>() {};

  /** Trips that could not be scored, with the reason. */
  public static final TupleTag<Reject> FAILED = new TupleTag<Reject>() {};

  /** The source of the rejects of this step. */
  public static final String SOURCE = "scoring";

  /** Default upper bound of the rows of one predict call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1024;

  /** Default time between two looks for a newer model version. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  private final TripScorer.Factory scorer;
  private final String storeLocation;
  private final String model;
  private final int maxBatchSize;
  private final Duration pollInterval;
  private final ProcessingClock clock;

  private ScoreTrips(
      TripScorer.Factory scorer,
      String storeLocation,
      String model,
      int maxBatchSize,
      Duration pollInterval,
      ProcessingClock clock) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1: " + maxBatchSize);
    }
    this.scorer = scorer;
    this.storeLocation = storeLocation;
    this.model = model;
    this.maxBatchSize = maxBatchSize;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** Scores with {@code model} from the store at {@code storeLocation} (s3:// or a directory). */
  public static ScoreTrips withModelFrom(String storeLocation, String model) {
    return new ScoreTrips(
        null,
        storeLocation,
        model,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_POLL_INTERVAL,
        ProcessingClock.system());
  }

  /** Scores with the scorers that {@code factory} opens (one per DoFn instance). */
  public static ScoreTrips with(TripScorer.Factory factory) {
    return new ScoreTrips(
        factory,
        null,
        null,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_POLL_INTERVAL,
        ProcessingClock.system());
  }

  /** At most {@code n} rows per scorer call ({@code 1}: unbatched, one call per trip). */
  public ScoreTrips withMaxBatchSize(int n) {
    return new ScoreTrips(scorer, storeLocation, model, n, pollInterval, clock);
  }

  /** Looks for a newer version at most once per {@code interval} ({@link #withModelFrom} only). */
  public ScoreTrips withPollInterval(Duration interval) {
    return new ScoreTrips(scorer, storeLocation, model, maxBatchSize, interval, clock);
  }

  /** Reads processing time (latency, polls) from {@code c}; tests pin it. */
  public ScoreTrips withClock(ProcessingClock c) {
    return new ScoreTrips(scorer, storeLocation, model, maxBatchSize, pollInterval, c);
  }

  @Override
  public PCollectionTuple expand(PCollection<TaxiTrip> trips) {
    TripScorer.Factory factory =
        scorer != null ? scorer : InProcessScorer.latest(storeLocation, model, pollInterval, clock);
    PCollectionTuple out =
        trips.apply(
            "PredictInBatches",
            ParDo.of(new BatchPredictFn(factory, maxBatchSize, clock))
                .withOutputTags(PREDICTIONS, TupleTagList.of(FAILED)));
    out.get(PREDICTIONS).setCoder(TidemarkCoders.TRIP_PREDICTION);
    return out;
  }

  /** Buffers a bundle's trips and scores them in batches when the bundle finishes. */
  static final class BatchPredictFn extends DoFn<TaxiTrip, TripPrediction> {
    private final Counter scored = Metrics.counter(ScoreTrips.class, "tripsScored");
    private final Counter notScored = Metrics.counter(ScoreTrips.class, "tripsNotScored");

    private final TripScorer.Factory factory;
    private final int maxBatchSize;
    private final ProcessingClock clock;

    private transient TripScorer scorer;
    private transient List<Pending> buffer;

    BatchPredictFn(TripScorer.Factory factory, int maxBatchSize, ProcessingClock clock) {
      this.factory = factory;
      this.maxBatchSize = maxBatchSize;
      this.clock = clock;
    }

    /** A buffered trip with what its output needs. */
    private record Pending(
        TaxiTrip trip, Instant timestamp, BoundedWindow window, long arrivedMillis) {}

    @Setup
    public void setup() throws IOException {
      scorer = factory.open();
      buffer = new ArrayList<>();
    }

    @StartBundle
    public void startBundle() {
      buffer.clear();
    }

    @ProcessElement
    public void processElement(
        @Element TaxiTrip trip, @Timestamp Instant timestamp, BoundedWindow window) {
      buffer.add(new Pending(trip, timestamp, window, clock.now().toEpochMilli()));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (int from = 0; from < buffer.size(); from += maxBatchSize) {
        score(buffer.subList(from, Math.min(buffer.size(), from + maxBatchSize)), context);
      }
      buffer.clear();
    }

    /** Scores one batch: one scorer call, one outcome per trip. */
    private void score(List<Pending> batch, FinishBundleContext context) {
      List<TaxiTrip> trips = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        trips.add(p.trip());
      }
      List<ScoreOutcome> outcomes;
      try {
        outcomes = scorer.score(trips);
        if (outcomes.size() != trips.size()) {
          throw new IllegalStateException(
              "the scorer answered " + outcomes.size() + " of " + trips.size() + " trips");
        }
      } catch (RuntimeException e) {
        ScoreOutcome failed = new ScoreOutcome.Failed("the scorer failed: " + e);
        outcomes = java.util.Collections.nCopies(trips.size(), failed);
      }
      long now = clock.now().toEpochMilli();
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        String id = TripSplit.tripId(p.trip());
        ScoreOutcome o = outcomes.get(i);
        if (o instanceof ScoreOutcome.Scored s) {
          context.output(
              PREDICTIONS,
              new TripPrediction(
                  id,
                  p.timestamp().getMillis(),
                  s.probability(),
                  s.model(),
                  s.version(),
                  Math.max(0, now - p.arrivedMillis()),
                  s.features(),
                  s.steps()),
              p.timestamp(),
              p.window());
          scored.inc();
        } else {
          context.output(
              FAILED,
              new Reject(
                  SOURCE,
                  ((ScoreOutcome.Failed) o).reason(),
                  TaxiTripJson.toJson(p.trip()),
                  id.getBytes(StandardCharsets.UTF_8),
                  null),
              p.timestamp(),
              p.window());
          notScored.inc();
        }
      }
    }

    @Teardown
    public void teardown() {
      if (scorer != null) {
        scorer.close();
      }
    }
  }
}
