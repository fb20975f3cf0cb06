package dev.tidemark.transforms.inference;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.model.Explanation;
import dev.tidemark.core.model.ModelLoadException;
import dev.tidemark.core.model.ModelVersion;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.transforms.TidemarkCoders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the predictions that need attention ({@link AttentionPolicy}: low confidence, inputs
 * outside the training range) and explains each with TreeSHAP by <em>the model version that made
 * it</em>, loaded by version from the model store: one {@link ReviewRecord} per such prediction,
 * for the review topic. Predictions that need no attention produce nothing.
 *
 * <p>Batching as in {@link ScoreTrips}: {@link ExplainFn} buffers the bundle's predictions that
 * need attention and explains them in {@code @FinishBundle}, one native {@code predictContrib} call
 * per version and {@link #withMaxBatchSize max batch size}; each record keeps its prediction's
 * timestamp and window. Each DoFn instance caches up to {@link #withModelCacheSize N} loaded
 * versions (least recently used evicted and freed).
 *
 * <p>Never drops, never fails on a prediction: when its version cannot explain in process (not in
 * the store, unreadable, a prediction without an input vector such as a no-op model's, a vector of
 * another layout, a failed native call), the record carries the reasons, {@code explanation: null}
 * and an {@code explanationError} sentence. A version that failed to load is retried after {@link
 * #withRetryAfter}, not once per prediction. {@code predictions in = reviewed +
 * notNeedingAttention} and {@code reviewed = explained + notExplained} (counters, namespace {@code
 * ExplainForReview}).
 */
public final class ExplainForReview
    extends PTransform<PCollection<TripPrediction>, PCollection<ReviewRecord>> {

  /** Default upper bound of the rows of one explain call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 256;

  /** Default number of loaded versions kept per DoFn instance. */
  public static final int DEFAULT_MODEL_CACHE_SIZE = 4;

  /** Default wait before a version that failed to load is tried again. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);

  private final String storeLocation;
  private final AttentionPolicy policy;
  private final int maxBatchSize;
  private final int modelCacheSize;
  private final Duration retryAfter;
  private final ProcessingClock clock;
  private final S3Settings s3;

  private ExplainForReview(
      String storeLocation,
      AttentionPolicy policy,
      int maxBatchSize,
      int modelCacheSize,
      Duration retryAfter,
      ProcessingClock clock,
      S3Settings s3) {
    if (maxBatchSize < 1 || modelCacheSize < 1) {
      throw new IllegalArgumentException(
          "max batch size and model cache size must be at least 1: "
              + maxBatchSize
              + ", "
              + modelCacheSize);
    }
    this.storeLocation = storeLocation;
    this.policy = policy;
    this.maxBatchSize = maxBatchSize;
    this.modelCacheSize = modelCacheSize;
    this.retryAfter = retryAfter;
    this.clock = clock;
    this.s3 = s3;
  }

  /**
   * Explains with the versions in the model store at {@code storeLocation} (s3:// or a directory),
   * under the {@link AttentionPolicy#defaults() default policy}.
   */
  public static ExplainForReview withModelsFrom(String storeLocation) {
    return new ExplainForReview(
        storeLocation,
        AttentionPolicy.defaults(),
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_MODEL_CACHE_SIZE,
        DEFAULT_RETRY_AFTER,
        ProcessingClock.system(),
        null);
  }

  /** Reaches an S3 model store with {@code settings} (default: the worker's environment). */
  public ExplainForReview withS3Settings(S3Settings settings) {
    return new ExplainForReview(
        storeLocation, policy, maxBatchSize, modelCacheSize, retryAfter, clock, settings);
  }

  /** Decides attention with {@code p}. */
  public ExplainForReview withPolicy(AttentionPolicy p) {
    return new ExplainForReview(
        storeLocation, p, maxBatchSize, modelCacheSize, retryAfter, clock, s3);
  }

  /** At most {@code n} rows per explain call. */
  public ExplainForReview withMaxBatchSize(int n) {
    return new ExplainForReview(storeLocation, policy, n, modelCacheSize, retryAfter, clock, s3);
  }

  /** Keeps up to {@code n} loaded versions per DoFn instance. */
  public ExplainForReview withModelCacheSize(int n) {
    return new ExplainForReview(storeLocation, policy, maxBatchSize, n, retryAfter, clock, s3);
  }

  /** Tries a version that failed to load again after {@code d}. */
  public ExplainForReview withRetryAfter(Duration d) {
    return new ExplainForReview(storeLocation, policy, maxBatchSize, modelCacheSize, d, clock, s3);
  }

  /** Reads processing time (load retries) from {@code c}. */
  public ExplainForReview withClock(ProcessingClock c) {
    return new ExplainForReview(
        storeLocation, policy, maxBatchSize, modelCacheSize, retryAfter, c, s3);
  }

  @Override
  public PCollection<ReviewRecord> expand(PCollection<TripPrediction> predictions) {
    return predictions
        .apply(
            "ExplainPredictionsNeedingAttention",
            ParDo.of(
                new ExplainFn(
                    storeLocation, policy, maxBatchSize, modelCacheSize, retryAfter, clock, s3)))
        .setCoder(TidemarkCoders.REVIEW_RECORD);
  }

  /** Judges each prediction; buffers those needing attention and explains them per bundle. */
  static final class ExplainFn extends DoFn<TripPrediction, ReviewRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainFn.class);

    private final Counter reviewed = Metrics.counter(ExplainForReview.class, "reviewed");
    private final Counter explained = Metrics.counter(ExplainForReview.class, "explained");
    private final Counter notExplained = Metrics.counter(ExplainForReview.class, "notExplained");
    private final Counter notNeedingAttention =
        Metrics.counter(ExplainForReview.class, "notNeedingAttention");
    private final Counter explainCalls = Metrics.counter(ExplainForReview.class, "explainCalls");

    private final String storeLocation;
    private final AttentionPolicy policy;
    private final int maxBatchSize;
    private final int modelCacheSize;
    private final Duration retryAfter;
    private final ProcessingClock clock;
    private final S3Settings s3;

    private transient ModelStore store;
    private transient Map<String, Loaded> models;
    private transient Map<String, List<Pending>> buffer;

    ExplainFn(
        String storeLocation,
        AttentionPolicy policy,
        int maxBatchSize,
        int modelCacheSize,
        Duration retryAfter,
        ProcessingClock clock,
        S3Settings s3) {
      this.storeLocation = storeLocation;
      this.policy = policy;
      this.maxBatchSize = maxBatchSize;
      this.modelCacheSize = modelCacheSize;
      this.retryAfter = retryAfter;
      this.clock = clock;
      this.s3 = s3;
    }

    /** A loaded version, or why it could not be loaded and when to try again. */
    private record Loaded(ModelVersion model, String error, java.time.Instant retryAt) {}

    /** A prediction waiting for its explanation. */
    private record Pending(
        TripPrediction prediction,
        AttentionPolicy.Attention attention,
        Instant timestamp,
        BoundedWindow window) {}

    @Setup
    public void setup() {
      store = ModelStore.open(storeLocation, s3 == null ? S3Settings.fromEnv() : s3);
      int capacity = modelCacheSize;
      models =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
              if (size() > capacity) {
                if (eldest.getValue().model() != null) {
                  eldest.getValue().model().close();
                }
                return true;
              }
              return false;
            }
          };
      buffer = new LinkedHashMap<>();
    }

    @StartBundle
    public void startBundle() {
      buffer.clear();
    }

    @ProcessElement
    public void processElement(
        @Element TripPrediction p,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        OutputReceiver<ReviewRecord> out) {
      String problem = null;
      FeatureSpec spec = null;
      if (p.features() == null || p.features().length == 0) {
        problem = "the prediction carries no input vector (model " + p.model() + ")";
      } else {
        Loaded l = load(p.model(), p.version());
        if (l.model() == null) {
          problem = l.error();
        } else {
          spec = l.model().features().spec();
          if (spec.length() != p.features().length) {
            problem =
                "the input vector has "
                    + p.features().length
                    + " values but the feature spec of "
                    + l.model()
                    + " has "
                    + spec.length();
            spec = null;
          }
        }
      }
      AttentionPolicy.Attention attention = policy.assess(p.probability(), p.features(), spec);
      if (!attention.needed()) {
        notNeedingAttention.inc();
        return;
      }
      reviewed.inc();
      if (problem != null) {
        notExplained.inc();
        out.output(record(p, attention, null, problem));
      } else {
        buffer
            .computeIfAbsent(key(p.model(), p.version()), k -> new ArrayList<>())
            .add(new Pending(p, attention, timestamp, window));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (List<Pending> sameVersion : buffer.values()) {
        for (int from = 0; from < sameVersion.size(); from += maxBatchSize) {
          explain(
              sameVersion.subList(from, Math.min(sameVersion.size(), from + maxBatchSize)),
              context);
        }
      }
      buffer.clear();
    }

    /** Explains one batch of one version: one native call, one record per prediction. */
    private void explain(List<Pending> batch, FinishBundleContext context) {
      TripPrediction first = batch.get(0).prediction();
      // Loaded again: the version may have been evicted by a later one in this bundle.
      Loaded l = load(first.model(), first.version());
      List<Explanation> explanations = null;
      String error = l.error();
      if (l.model() != null) {
        int width = l.model().features().length();
        float[] flat = new float[batch.size() * width];
        for (int i = 0; i < batch.size(); i++) {
          System.arraycopy(batch.get(i).prediction().features(), 0, flat, i * width, width);
        }
        try {
          explanations = l.model().explain(flat, batch.size());
          explainCalls.inc();
        } catch (Exception e) {
          error = "the explain call of " + l.model() + " failed: " + e.getMessage();
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        Explanation e = explanations == null ? null : explanations.get(i);
        if (e == null) {
          notExplained.inc();
        } else {
          explained.inc();
        }
        context.output(
            record(p.prediction(), p.attention(), e, e == null ? error : null),
            p.timestamp(),
            p.window());
      }
    }

    private static ReviewRecord record(
        TripPrediction p, AttentionPolicy.Attention a, Explanation e, String error) {
      return new ReviewRecord(
          p.tripId(),
          p.eventTimeMillis(),
          p.probability(),
          p.model(),
          p.version(),
          a.reasons(),
          a.outOfRange(),
          e,
          error);
    }

    /** The cached version, loaded from the store if needed (failures cached until retryAt). */
    private Loaded load(String model, String version) {
      String key = key(model, version);
      java.time.Instant now = clock.now();
      Loaded l = models.get(key);
      if (l != null && (l.model() != null || now.isBefore(l.retryAt()))) {
        return l;
      }
      try {
        l = new Loaded(ModelVersion.load(store, model, version), null, null);
      } catch (ModelLoadException | RuntimeException e) {
        String error =
            "version "
                + version
                + " of "
                + model
                + " cannot be loaded from "
                + storeLocation
                + ": "
                + e.getMessage();
        LOG.warn("{}; predictions of it are reviewed without explanation", error);
        l = new Loaded(null, error, now.plus(retryAfter));
      }
      models.put(key, l);
      return l;
    }

    private static String key(String model, String version) {
      return model + "/" + version;
    }

    @Teardown
    public void teardown() throws IOException {
      if (models != null) {
        for (Loaded l : models.values()) {
          if (l.model() != null) {
            l.model().close();
          }
        }
        models.clear();
      }
      if (store != null) {
        store.close();
      }
    }
  }
}
