package dev.tidemark.transforms.inference;

import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.model.HotSwapModel;
import dev.tidemark.core.model.ModelLoadException;
import dev.tidemark.core.model.ModelVersion;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Scores trips in this JVM with an exported model version: features by the version's own feature
 * spec ({@link TaxiFeatures}, the code training used), then one native XGBoost predict call per
 * batch. Either the newest complete version, hot-swapped when a newer one is published ({@link
 * #latest}), or one pinned version ({@link #pinned}, e.g. a challenger).
 *
 * <p>Metrics (namespace {@link ScoreTrips}): counters {@code predictCalls}, {@code modelSwaps};
 * distribution {@code batchSize}.
 */
public final class InProcessScorer implements TripScorer {
  private final Counter predictCalls = Metrics.counter(ScoreTrips.class, "predictCalls");
  private final Counter modelSwaps = Metrics.counter(ScoreTrips.class, "modelSwaps");
  private final Distribution batchSize = Metrics.distribution(ScoreTrips.class, "batchSize");

  private final HotSwapModel latest;
  private final ModelVersion pinned;
  private final ModelStore pinnedStore;

  private InProcessScorer(HotSwapModel latest, ModelVersion pinned, ModelStore pinnedStore) {
    this.latest = latest;
    this.pinned = pinned;
    this.pinnedStore = pinnedStore;
  }

  /**
   * The newest complete version of {@code model} in the store at {@code storeLocation} (s3:// or a
   * directory), looking for a newer one at most once per {@code pollInterval}; S3 settings from the
   * worker's environment.
   */
  public static TripScorer.Factory latest(
      String storeLocation, String model, Duration pollInterval, ProcessingClock clock) {
    return latest(storeLocation, null, model, pollInterval, clock);
  }

  /** Like {@link #latest(String, String, Duration, ProcessingClock)}; {@code s3} null = env. */
  public static TripScorer.Factory latest(
      String storeLocation,
      S3Settings s3,
      String model,
      Duration pollInterval,
      ProcessingClock clock) {
    return latest(storeLocation, s3, model, pollInterval, clock, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #latest(String, S3Settings, String, Duration, ProcessingClock)}, every version
   * predicting with {@code evaluator} (compiled trees by default; xgboost4j to switch back).
   */
  public static TripScorer.Factory latest(
      String storeLocation,
      S3Settings s3,
      String model,
      Duration pollInterval,
      ProcessingClock clock,
      Evaluator evaluator) {
    return () ->
        new InProcessScorer(
            HotSwapModel.open(
                storeLocation,
                s3 == null ? S3Settings.fromEnv() : s3,
                model,
                pollInterval,
                clock,
                evaluator),
            null,
            null);
  }

  /** Exactly {@code version} of {@code model}: never swapped. */
  public static TripScorer.Factory pinned(String storeLocation, String model, String version) {
    return pinned(storeLocation, null, model, version);
  }

  /** Like {@link #pinned(String, String, String)}; {@code s3} null = the worker's environment. */
  public static TripScorer.Factory pinned(
      String storeLocation, S3Settings s3, String model, String version) {
    return pinned(storeLocation, s3, model, version, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #pinned(String, S3Settings, String, String)}, predicting with {@code evaluator}.
   */
  public static TripScorer.Factory pinned(
      String storeLocation, S3Settings s3, String model, String version, Evaluator evaluator) {
    return () -> {
      ModelStore store = ModelStore.open(storeLocation, s3 == null ? S3Settings.fromEnv() : s3);
      try {
        return new InProcessScorer(
            null, ModelVersion.load(store, model, version, evaluator), store);
      } catch (ModelLoadException e) {
        store.close();
        throw new IOException(e.getMessage(), e);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    };
  }

  /** The version the next batch would be scored with (after a due poll for a newer one). */
  public ModelVersion current() {
    if (pinned != null) {
      return pinned;
    }
    int loadsBefore = latest.loads();
    ModelVersion m = latest.current();
    if (latest.loads() > loadsBefore) {
      modelSwaps.inc(latest.loads() - loadsBefore);
    }
    return m;
  }

  @Override
  public List<ScoreOutcome> score(List<TaxiTrip> trips) {
    ModelVersion m = current();
    TaxiFeatures features = m.features();
    int width = features.length();
    ScoreOutcome[] out = new ScoreOutcome[trips.size()];
    float[] flat = new float[trips.size() * width];
    int[] rowOf = new int[trips.size()];
    int rows = 0;
    for (int i = 0; i < trips.size(); i++) {
      try {
        features.writeVector(trips.get(i), flat, rows * width);
        rowOf[rows++] = i;
      } catch (RuntimeException e) {
        out[i] = new ScoreOutcome.Failed("features cannot be computed: " + e.getMessage());
      }
    }
    if (rows > 0) {
      float[] probabilities;
      try {
        probabilities =
            m.predict(rows == trips.size() ? flat : Arrays.copyOf(flat, rows * width), rows);
        predictCalls.inc();
        batchSize.update(rows);
      } catch (Exception e) {
        String reason = "the model call failed: " + e.getMessage();
        for (int r = 0; r < rows; r++) {
          out[rowOf[r]] = new ScoreOutcome.Failed(reason);
        }
        return Arrays.asList(out);
      }
      for (int r = 0; r < rows; r++) {
        out[rowOf[r]] =
            new ScoreOutcome.Scored(
                probabilities[r],
                m.name(),
                m.version(),
                Arrays.copyOfRange(flat, r * width, (r + 1) * width));
      }
    }
    return new ArrayList<>(Arrays.asList(out));
  }

  @Override
  public void close() {
    try {
      if (latest != null) {
        latest.close();
      }
      if (pinned != null) {
        pinned.close();
        pinnedStore.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
