package dev.tidemark.core.model;

import dev.tidemark.core.store.ModelStore;
import java.io.IOException;
import java.util.Optional;

/**
 * The hot-swap rule of one model, shared by the model server's registry and the in-pipeline scorer:
 * which complete version in the store is worth loading next. A version is worth loading when it is
 * newer (in the store's order) than every version tried before, loaded or refused. A version whose
 * artifacts are broken is refused once and never retried (a new version fixes it); a store that
 * cannot be read is retried at the next look. Not thread-safe: its owner serializes calls.
 */
public final class NewerVersions {

  private final ModelStore store;
  private final String model;
  private final Evaluator evaluator;
  private String newestTried;

  /** Tracks {@code model} in {@code store}; nothing tried yet; loads with the default evaluator. */
  public NewerVersions(ModelStore store, String model) {
    this(store, model, Evaluator.DEFAULT);
  }

  /**
   * Tracks {@code model} in {@code store}, loading versions with {@code evaluator} (compiled
   * versions are compiled and checked while loading, before anyone swaps them in).
   */
  public NewerVersions(ModelStore store, String model, Evaluator evaluator) {
    this.store = store;
    this.model = model;
    this.evaluator = evaluator;
  }

  /** The model tracked. */
  public String model() {
    return model;
  }

  /** Records {@code version} as tried (it was loaded or refused on request). */
  public void tried(String version) {
    if (newestTried == null || version.compareTo(newestTried) > 0) {
      newestTried = version;
    }
  }

  /** The newest version tried so far, if any. */
  public Optional<String> newestTried() {
    return Optional.ofNullable(newestTried);
  }

  /**
   * Loads the newest complete version if it is newer than every version tried before.
   *
   * @return the loaded version, or empty when there is nothing newer
   * @throws IOException when the store cannot be listed (nothing is marked tried)
   * @throws ModelLoadException when the newer version is broken (it is marked tried: not retried)
   *     or could not be read (it is not: the next look tries it again)
   */
  public Optional<ModelVersion> loadNewer() throws IOException, ModelLoadException {
    Optional<String> latest = store.latestVersion(model);
    if (latest.isEmpty() || (newestTried != null && latest.get().compareTo(newestTried) <= 0)) {
      return Optional.empty();
    }
    ModelVersion loaded;
    try {
      loaded = ModelVersion.load(store, model, latest.get(), evaluator);
    } catch (ModelLoadException e) {
      if (e.kind() != ModelLoadException.Kind.UNREADABLE) {
        tried(latest.get());
      }
      throw e;
    }
    tried(loaded.version());
    return Optional.of(loaded);
  }
}
