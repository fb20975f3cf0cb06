package dev.tidemark.transforms.inference;

import dev.tidemark.transforms.taxi.TaxiTrip;
import dev.tidemark.transforms.taxi.features.TaxiFeatures;
import dev.tidemark.transforms.taxi.features.TripSplit;
import dev.tidemark.transforms.time.ProcessingClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
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
 * Scores trips with the newest complete version of a model from a model store, in process and in
 * batches, hot-swapping the model when a newer version is published.
 *
 * <p>Batching: {@link BatchPredictFn} buffers the elements of a bundle and scores them in
 * {@code @FinishBundle}, one native predict call per {@link #withMaxBatchSize max batch size}
 * elements. The buffering delay is therefore bounded by the runner's bundle duration (FlinkRunner:
 * {@code --maxBundleTimeMills}, default 1 s; the DirectRunner's bundles of a Kafka read are short)
 * and the batch size by the bundle size. Each element keeps its timestamp and window.
 *
 * <p>Hot swap: {@link HotSwapModel} polls the store at most once per {@link #withPollInterval poll
 * interval}; a batch takes one version and is scored by it entirely, so no element is lost or
 * scored twice across a swap.
 *
 * <p>Outputs, by tag: {@link #PREDICTIONS} one {@link TripPrediction} per scored trip; {@link
 * #FAILED} one {@link ScoringFailure} per trip that could not be scored. {@code trips in =
 * predictions + failures}, exactly (counters {@code tripsScored}, {@code tripsNotScored}; {@code
 * predictCalls} counts native calls, distribution {@code batchSize} their sizes).
 */
public final class ScoreTrips extends PTransform<PCollection<TaxiTrip>, PCollectionTuple> {

  /** One prediction per scored trip. */
  public static final TupleTag<TripPrediction> PREDICTIONS = new TupleTag<TripPrediction>() {};

  /** Trips that could not be scored, with the reason. */
  public static final TupleTag<ScoringFailure> FAILED = new TupleTag<ScoringFailure>() {};

  /** Default upper bound of the rows of one predict call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1024;

  /** Default time between two looks for a newer model version. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  private final String storeLocation;
  private final String model;
  private final int maxBatchSize;
  private final Duration pollInterval;
  private final ProcessingClock clock;

  private ScoreTrips(
      String storeLocation,
      String model,
      int maxBatchSize,
      Duration pollInterval,
      ProcessingClock clock) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be at least 1: " + maxBatchSize);
    }
    this.storeLocation = storeLocation;
    this.model = model;
    this.maxBatchSize = maxBatchSize;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** Scores with {@code model} from the store at {@code storeLocation} (s3:// or a directory). */
  public static ScoreTrips withModelFrom(String storeLocation, String model) {
    return new ScoreTrips(
        storeLocation,
        model,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_POLL_INTERVAL,
        ProcessingClock.system());
  }

  /** At most {@code n} rows per predict call. */
  public ScoreTrips withMaxBatchSize(int n) {
    return new ScoreTrips(storeLocation, model, n, pollInterval, clock);
  }

  /** Looks for a newer version at most once per {@code interval}. */
  public ScoreTrips withPollInterval(Duration interval) {
    return new ScoreTrips(storeLocation, model, maxBatchSize, interval, clock);
  }

  /** Reads processing time (latency, polls) from {@code c}; tests pin it. */
  public ScoreTrips withClock(ProcessingClock c) {
    return new ScoreTrips(storeLocation, model, maxBatchSize, pollInterval, c);
  }

  @Override
  public PCollectionTuple expand(PCollection<TaxiTrip> trips) {
    PCollectionTuple out =
        trips.apply(
            "PredictInBatches",
            ParDo.of(new BatchPredictFn(storeLocation, model, maxBatchSize, pollInterval, clock))
                .withOutputTags(PREDICTIONS, TupleTagList.of(FAILED)));
    out.get(PREDICTIONS).setCoder(SerializableCoder.of(TripPrediction.class));
    out.get(FAILED).setCoder(SerializableCoder.of(ScoringFailure.class));
    return out;
  }

  /** Buffers a bundle's trips and scores them in batches when the bundle finishes. */
  static final class BatchPredictFn extends DoFn<TaxiTrip, TripPrediction> {
    private final Counter scored = Metrics.counter(ScoreTrips.class, "tripsScored");
    private final Counter notScored = Metrics.counter(ScoreTrips.class, "tripsNotScored");
    private final Counter predictCalls = Metrics.counter(ScoreTrips.class, "predictCalls");
    private final Counter modelSwaps = Metrics.counter(ScoreTrips.class, "modelSwaps");
    private final Distribution batchSize = Metrics.distribution(ScoreTrips.class, "batchSize");

    private final String storeLocation;
    private final String model;
    private final int maxBatchSize;
    private final Duration pollInterval;
    private final ProcessingClock clock;

    private transient HotSwapModel holder;
    private transient List<Pending> buffer;

    BatchPredictFn(
        String storeLocation,
        String model,
        int maxBatchSize,
        Duration pollInterval,
        ProcessingClock clock) {
      this.storeLocation = storeLocation;
      this.model = model;
      this.maxBatchSize = maxBatchSize;
      this.pollInterval = pollInterval;
      this.clock = clock;
    }

    /** A buffered trip with what its output needs. */
    private record Pending(
        TaxiTrip trip, Instant timestamp, BoundedWindow window, long arrivedMillis) {}

    @Setup
    public void setup() throws IOException {
      holder = HotSwapModel.open(storeLocation, model, pollInterval, clock);
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

    /** Scores one batch with one model version: one predict call. */
    private void score(List<Pending> batch, FinishBundleContext context) {
      int loadsBefore = holder.loads();
      TipModel m = holder.current();
      if (holder.loads() > loadsBefore) {
        modelSwaps.inc(holder.loads() - loadsBefore);
      }
      TaxiFeatures features = m.features();
      int width = features.length();
      float[] flat = new float[batch.size() * width];
      List<Pending> rows = new ArrayList<>(batch.size());
      List<String> ids = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        String id = TripSplit.tripId(p.trip());
        try {
          features.writeVector(p.trip(), flat, rows.size() * width);
          rows.add(p);
          ids.add(id);
        } catch (RuntimeException e) {
          fail(context, p, id, "features cannot be computed: " + e.getMessage());
        }
      }
      if (rows.isEmpty()) {
        return;
      }
      float[] probabilities;
      try {
        probabilities =
            m.predict(
                rows.size() == batch.size() ? flat : Arrays.copyOf(flat, rows.size() * width),
                rows.size());
        predictCalls.inc();
        batchSize.update(rows.size());
      } catch (Exception e) {
        for (int i = 0; i < rows.size(); i++) {
          fail(context, rows.get(i), ids.get(i), "the model call failed: " + e.getMessage());
        }
        return;
      }
      long now = clock.now().toEpochMilli();
      for (int i = 0; i < rows.size(); i++) {
        Pending p = rows.get(i);
        float[] vector = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        context.output(
            PREDICTIONS,
            new TripPrediction(
                ids.get(i),
                p.timestamp().getMillis(),
                probabilities[i],
                m.name(),
                m.version(),
                Math.max(0, now - p.arrivedMillis()),
                vector),
            p.timestamp(),
            p.window());
        scored.inc();
      }
    }

    private void fail(FinishBundleContext context, Pending p, String id, String reason) {
      context.output(
          FAILED,
          new ScoringFailure(id, p.timestamp().getMillis(), reason, p.trip()),
          p.timestamp(),
          p.window());
      notScored.inc();
    }

    @Teardown
    public void teardown() throws IOException {
      if (holder != null) {
        holder.close();
      }
    }
  }
}
