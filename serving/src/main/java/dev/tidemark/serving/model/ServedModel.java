package dev.tidemark.serving.model;

import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.model.ModelVersion;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A model version being served: the loaded {@link ModelVersion} and its {@link Batcher}, which owns
 * every call into it (and frees it once drained). The version is the same type the in-pipeline
 * scorer uses; what the server adds is only the batching.
 */
public final class ServedModel {

  private final ModelVersion version;
  private final Batcher batcher;

  /** Serves {@code version} through a new batcher with {@code policy}. */
  public ServedModel(ModelVersion version, BatchPolicy policy, IntConsumer batchSizes) {
    this.version = version;
    this.batcher = new Batcher(version, policy, batchSizes);
  }

  /** The loaded version. */
  public ModelVersion model() {
    return version;
  }

  /** The batcher that owns calls into this version. */
  public Batcher batcher() {
    return batcher;
  }

  public String name() {
    return version.name();
  }

  public String version() {
    return version.version();
  }

  /** Where the version was read from. */
  public String uri() {
    return version.uri();
  }

  /** {@code xgboost_json} or {@code xgboost_ubj}. */
  public String platform() {
    return version.platform();
  }

  /** The taxi transformer built from the version's own feature spec. */
  public TaxiFeatures features() {
    return version.features();
  }

  /** Feature names in vector order. */
  public List<String> featureNames() {
    return version.featureNames();
  }

  /** The vector width. */
  public int width() {
    return version.width();
  }

  /** How long loading and checking took. */
  public Duration loadTime() {
    return version.loadTime();
  }

  @Override
  public String toString() {
    return version.toString();
  }
}
