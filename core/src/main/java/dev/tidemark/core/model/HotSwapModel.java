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
 * The newest complete version of a model in a model store, kept current: {@link #current()} asks
 * the store for a newer complete version at most once per poll interval and, when there is one,
 * loads it and swaps it in before returning. A caller takes {@link #current()} once per batch and
 * scores the whole batch with it, so every element is scored exactly once, by exactly one version,
 * and every batch after the swap uses the new version. Versions are compared as the store orders
 * them (string order, newest last); an older or equal "latest" (e.g. a rollback by deletion) is
 * ignored. A failed poll or load keeps the current version and is retried at the next poll.
 *
 * <p>Not thread-safe: one instance per scoring DoFn instance (the DoFn is single-threaded). The
 * replaced booster is freed at once, which is safe because only this instance's owner uses it.
 */
public final class HotSwapModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HotSwapModel.class);

  private final ModelStore store;
  private final String model;
  private final Duration pollInterval;
  private final ProcessingClock clock;
  private TipModel current;
  private Instant nextPoll;
  private int loads;

  private HotSwapModel(
      ModelStore store, String model, Duration pollInterval, ProcessingClock clock) {
    this.store = store;
    this.model = model;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /**
   * Opens {@code location} and loads the newest complete version of {@code model}.
   *
   * @throws IOException when the store cannot be read or has no complete version of the model
   */
  public static HotSwapModel open(
      String location, String model, Duration pollInterval, ProcessingClock clock)
      throws IOException {
    return open(location, S3Settings.fromEnv(), model, pollInterval, clock);
  }

  /** Like {@link #open(String, String, Duration, ProcessingClock)}, with explicit S3 settings. */
  public static HotSwapModel open(
      String location, S3Settings s3, String model, Duration pollInterval, ProcessingClock clock)
      throws IOException {
    ModelStore store = ModelStore.open(location, s3);
    HotSwapModel h = new HotSwapModel(store, model, pollInterval, clock);
    try {
      String latest =
          store
              .latestVersion(model)
              .orElseThrow(
                  () ->
                      new IOException(
                          "no complete version of "
                              + model
                              + " in "
                              + location
                              + " (train one: bin/tidemark train --output "
                              + location
                              + ")"));
      h.current = TipModel.load(store, model, latest);
      h.loads = 1;
      h.nextPoll = clock.now().plus(pollInterval);
      LOG.info("loaded {} from {}", h.current, location);
      return h;
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The version to score the next batch with, after a poll for a newer one if one is due. */
  public TipModel current() {
    Instant now = clock.now();
    if (!now.isBefore(nextPoll)) {
      nextPoll = now.plus(pollInterval);
      try {
        Optional<String> latest = store.latestVersion(model);
        if (latest.isPresent() && latest.get().compareTo(current.version()) > 0) {
          TipModel next = TipModel.load(store, model, latest.get());
          TipModel previous = current;
          current = next;
          loads++;
          previous.close();
          LOG.info("swapped {} for {}", previous, next);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("keeping {}: polling for a newer version failed: {}", current, e.toString());
      }
    }
    return current;
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
