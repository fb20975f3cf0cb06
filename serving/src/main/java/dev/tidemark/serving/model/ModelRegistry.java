package dev.tidemark.serving.model;

import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.model.ModelLoadException;
import dev.tidemark.core.model.ModelVersion;
import dev.tidemark.core.model.NewerVersions;
import dev.tidemark.core.store.ModelNames;
import dev.tidemark.core.store.ModelStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models being served, with hot reload. Each model serves its default version (the newest
 * loaded) and keeps up to {@code keepVersions} versions addressable by {@code /versions/{v}}. A
 * swap is one map update: requests resolved before it finish on the old version (its {@link
 * Batcher} drains before the booster is freed), requests after it go to the new one, so no request
 * fails.
 *
 * <p>Sources of change: {@link #poll()} (periodic, {@link #startPolling}) loads every model of the
 * repository and any newer complete version, by the same rule as the in-pipeline scorer ({@link
 * NewerVersions}); {@link #load} and {@link #unload} do it on request. A version that fails to load
 * is refused with one WARN line naming the model, version and reason, the previous version keeps
 * serving, and polling does not retry a broken version (it does retry after a read failure of the
 * store). A model unloaded on request is not reloaded by polling until it is loaded again on
 * request.
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  private final ModelStore repository;
  private final BatchPolicy policy;
  private final ModelEvents events;
  private final int keepVersions;
  private final Evaluator evaluator;
  private final ConcurrentHashMap<String, Served> served = new ConcurrentHashMap<>();
  private final Set<String> unloadedOnRequest = new HashSet<>();

  /** Per model, the versions polling or a load call has tried (loaded or refused). */
  private final Map<String, NewerVersions> newer = new HashMap<>();

  private final Object changes = new Object();
  private ScheduledExecutorService poller;
  private volatile boolean initialScanDone;

  /**
   * A registry over {@code repository}, loading versions with the default evaluator.
   *
   * @param keepVersions versions kept loaded per model (at least 1; the newest is the default)
   */
  public ModelRegistry(
      ModelStore repository, BatchPolicy policy, ModelEvents events, int keepVersions) {
    this(repository, policy, events, keepVersions, Evaluator.DEFAULT);
  }

  /**
   * A registry over {@code repository}, loading every version with {@code evaluator}: a compiled
   * version is compiled and checked while it loads, before it is swapped in.
   *
   * @param keepVersions versions kept loaded per model (at least 1; the newest is the default)
   */
  public ModelRegistry(
      ModelStore repository,
      BatchPolicy policy,
      ModelEvents events,
      int keepVersions,
      Evaluator evaluator) {
    if (keepVersions < 1) {
      throw new IllegalArgumentException("keepVersions must be at least 1");
    }
    this.repository = repository;
    this.policy = policy;
    this.events = events;
    this.keepVersions = keepVersions;
    this.evaluator = evaluator;
  }

  /** What the loaded versions predict with. */
  public Evaluator evaluator() {
    return evaluator;
  }

  /** The repository models come from. */
  public ModelStore repository() {
    return repository;
  }

  /** Whether the first repository scan has finished (readiness). */
  public boolean initialScanDone() {
    return initialScanDone;
  }

  /** Names of the served models, sorted. */
  public List<String> names() {
    return new ArrayList<>(new TreeMap<>(served).keySet());
  }

  /** The default version of {@code model}, if served. */
  public Optional<ServedModel> resolve(String model) {
    Served s = served.get(model);
    return s == null ? Optional.empty() : Optional.of(s.current);
  }

  /** Version {@code version} of {@code model}, if loaded. */
  public Optional<ServedModel> resolve(String model, String version) {
    if (version == null) {
      return resolve(model);
    }
    Served s = served.get(model);
    return s == null ? Optional.empty() : Optional.ofNullable(s.versions.get(version));
  }

  /** The loaded versions of {@code model}, newest (the default) first. */
  public List<String> versions(String model) {
    Served s = served.get(model);
    if (s == null) {
      return List.of();
    }
    List<String> v = new ArrayList<>(s.versions.keySet());
    java.util.Collections.reverse(v);
    return v;
  }

  /**
   * Loads {@code version} (null: the newest complete one) of {@code model} and makes it the
   * default.
   *
   * @throws ModelLoadException when absent or broken; what was served keeps serving
   */
  public ServedModel load(String model, String version) throws ModelLoadException {
    ModelNames.check("model", model);
    if (version != null) {
      ModelNames.check("version", version);
    }
    synchronized (changes) {
      unloadedOnRequest.remove(model);
      Optional<ServedModel> already = resolve(model, version);
      if (already.isPresent()) {
        promote(already.get());
        return already.get();
      }
      return loadAndSwap(model, version);
    }
  }

  /**
   * Stops serving {@code model}; in-flight requests finish first.
   *
   * @return the versions that were served, or empty when the model was not served
   */
  public List<String> unload(String model) {
    synchronized (changes) {
      unloadedOnRequest.add(model);
      Served s = served.remove(model);
      if (s == null) {
        return List.of();
      }
      for (ServedModel m : s.versions.values()) {
        m.batcher().close();
      }
      LOG.info("unloaded model {} (versions {})", model, s.versions.keySet());
      return new ArrayList<>(s.versions.keySet());
    }
  }

  /**
   * Scans the repository once: loads models not yet served and newer complete versions of served
   * ones. Failures are logged and leave the served versions alone.
   */
  public void poll() {
    List<String> models;
    try {
      models = repository.models();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot list models in {}: {}", repository.location(), e.getMessage());
      return;
    } finally {
      // Readiness does not wait for a repository that is down: the server is up and says so.
      initialScanDone = true;
    }
    for (String model : models) {
      synchronized (changes) {
        if (unloadedOnRequest.contains(model)) {
          continue;
        }
        Optional<ModelVersion> next;
        try {
          next = newerVersions(model).loadNewer();
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot list versions of {}: {}", model, e.getMessage());
          continue;
        } catch (ModelLoadException e) {
          refused(model, null, e);
          continue;
        }
        next.ifPresent(this::swapIn);
      }
    }
  }

  /** Polls every {@code interval} in the background (and once now, synchronously). */
  public void startPolling(Duration interval) {
    poll();
    if (interval.isZero() || interval.isNegative()) {
      return;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "model-poller");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private NewerVersions newerVersions(String model) {
    return newer.computeIfAbsent(model, m -> new NewerVersions(repository, m, evaluator));
  }

  /** Loads {@code version} (null: the newest) on request and swaps it in. */
  private ServedModel loadAndSwap(String model, String version) throws ModelLoadException {
    ModelVersion loaded;
    try {
      loaded = ModelVersion.load(repository, model, version, evaluator);
    } catch (ModelLoadException e) {
      if (version != null && e.kind() == ModelLoadException.Kind.BROKEN) {
        newerVersions(model).tried(version);
      }
      refused(model, version, e);
      throw e;
    }
    newerVersions(model).tried(loaded.version());
    return swapIn(loaded);
  }

  private void refused(String model, String version, ModelLoadException e) {
    Served s = served.get(model);
    if (!e.notFound()) {
      events.refused(model, version);
    }
    LOG.warn(
        "refused model {} version {}: {}; {}",
        model,
        version == null ? "(newest)" : version,
        e.getMessage(),
        s == null ? "the model is not served" : "still serving version " + s.current.version());
  }

  /** Makes {@code version} the default of its model, evicting the oldest beyond the kept ones. */
  private ServedModel swapIn(ModelVersion version) {
    String model = version.name();
    ServedModel loaded = new ServedModel(version, policy, rows -> events.batch(model, rows));
    Served before = served.get(model);
    LinkedHashMap<String, ServedModel> versions = new LinkedHashMap<>();
    if (before != null) {
      versions.putAll(before.versions);
      versions.remove(loaded.version());
    }
    versions.put(loaded.version(), loaded);
    List<ServedModel> evicted = new ArrayList<>();
    while (versions.size() > keepVersions) {
      String oldest = versions.keySet().iterator().next();
      evicted.add(versions.remove(oldest));
    }
    served.put(model, new Served(loaded, versions));
    for (ServedModel m : evicted) {
      m.batcher().close();
    }
    events.loaded(loaded);
    LOG.info(
        "serving model {} version {} from {} (loaded in {} ms, {} evaluator{})",
        model,
        loaded.version(),
        loaded.uri(),
        loaded.loadTime().toMillis(),
        loaded.model().evaluator(),
        before == null ? "" : ", replacing " + before.current.version());
    return loaded;
  }

  private void promote(ServedModel m) {
    Served s = served.get(m.name());
    if (s != null && s.current != m) {
      LinkedHashMap<String, ServedModel> versions = new LinkedHashMap<>(s.versions);
      versions.remove(m.version());
      versions.put(m.version(), m);
      served.put(m.name(), new Served(m, versions));
      LOG.info("model {} now defaults to version {}", m.name(), m.version());
    }
  }

  /** Stops polling and unloads every model, letting queued requests finish. */
  @Override
  public void close() throws InterruptedException {
    if (poller != null) {
      poller.shutdownNow();
      poller.awaitTermination(5, TimeUnit.SECONDS);
    }
    List<ServedModel> all = new ArrayList<>();
    synchronized (changes) {
      for (Served s : served.values()) {
        all.addAll(s.versions.values());
      }
      served.clear();
    }
    for (ServedModel m : all) {
      m.batcher().close();
    }
    for (ServedModel m : all) {
      m.batcher().awaitTermination(5_000);
    }
  }

  /** An immutable snapshot of one model: its default version and all loaded ones, oldest first. */
  private record Served(ServedModel current, Map<String, ServedModel> versions) {}
}
