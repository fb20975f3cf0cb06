package dev.tidemark.core.model;

import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.ProcessingClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest complete version of a model in a model store, kept current for one scorer: {@link
 * #current()} looks for a newer complete version at most once per poll interval ({@link
 * NewerVersions}, the same rule as the model server's) and, when there is one, loads it and swaps
 * it in before returning. A caller takes {@link #current()} once per batch and scores the whole
 * batch with it, so every element is scored exactly once, by exactly one version, and every batch
 * after the swap uses the new version. A failed poll or a broken version keeps the current version.
 *
 * <p>Not thread-safe: one instance per scoring DoFn instance (the DoFn is single-threaded). The
 * replaced booster is freed at once, which is safe because only this instance's owner uses it.
 */
public final class HotSwapModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HotSwapModel.class);

  private final ModelStore store;
  private final NewerVersions newer;
  private final Duration pollInterval;
  private final ProcessingClock clock;
  private ModelVersion current;
  private Instant nextPoll;
  private int loads;

  private final Evaluator evaluator;

  private HotSwapModel(
      ModelStore store,
      String model,
      Duration pollInterval,
      ProcessingClock clock,
      Evaluator evaluator) {
    this.store = store;
    this.evaluator = evaluator;
    this.newer = new NewerVersions(store, model, evaluator);
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** Like {@link #open(String, S3Settings, String, Duration, ProcessingClock)}, S3 from the env. */
  public static HotSwapModel open(
      String location, String model, Duration pollInterval, ProcessingClock clock)
      throws IOException {
    return open(location, S3Settings.fromEnv(), model, pollInterval, clock);
  }

  /**
   * Opens {@code location} and loads the newest complete version of {@code model}, with the default
   * evaluator ({@link Evaluator#DEFAULT}).
   *
   * @throws IOException when the store cannot be read or has no loadable version of the model
   */
  public static HotSwapModel open(
      String location, S3Settings s3, String model, Duration pollInterval, ProcessingClock clock)
      throws IOException {
    return open(location, s3, model, pollInterval, clock, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #open(String, S3Settings, String, Duration, ProcessingClock)}, every version (the
   * first and each swapped in) predicting with {@code evaluator}.
   *
   * @throws IOException when the store cannot be read or has no loadable version of the model
   */
  public static HotSwapModel open(
      String location,
      S3Settings s3,
      String model,
      Duration pollInterval,
      ProcessingClock clock,
      Evaluator evaluator)
      throws IOException {
    ModelStore store = ModelStore.open(location, s3);
    HotSwapModel h = new HotSwapModel(store, model, pollInterval, clock, evaluator);
    try {
      h.current = ModelVersion.load(store, model, null, evaluator);
      h.newer.tried(h.current.version());
      h.loads = 1;
      h.nextPoll = clock.now().plus(pollInterval);
      LOG.info("loaded {}", h.current);
      return h;
    } catch (ModelLoadException e) {
      store.close();
      throw new IOException(e.getMessage(), e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The version to score the next batch with, after a poll for a newer one if one is due. */
  public ModelVersion current() {
    Instant now = clock.now();
    if (!now.isBefore(nextPoll)) {
      nextPoll = now.plus(pollInterval);
      try {
        Optional<ModelVersion> next = newer.loadNewer();
        if (next.isPresent()) {
          ModelVersion previous = current;
          current = next.get();
          loads++;
          previous.close();
          LOG.info("swapped {} for {}", previous, current);
        }
      } catch (IOException | ModelLoadException | RuntimeException e) {
        LOG.warn("keeping {}: {}", current, e.getMessage());
      }
    }
    return current;
  }

  /** What the versions predict with. */
  public Evaluator evaluator() {
    return evaluator;
  }

  /** How many versions were loaded so far (1 + the number of swaps). */
  public int loads() {
    return loads;
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
    store.close();
  }
}
