package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.TripScorer;
import java.io.Serializable;
import java.time.Duration;

/**
 * Turns the target of a leaf step of an inference graph ({@code serviceName} or {@code serviceUrl})
 * into the {@link TripScorer.Factory} that answers for it. Serializable: the graph's factory
 * carries it to the workers.
 *
 * <p>The usual one is {@link #models}: {@code serviceName} from a model store, in process; URLs are
 * plugged in with {@link #withUrls}, e.g. {@code StepResolver.models(store, poll,
 * clock).withUrls(RemoteScorer::at)}.
 */
@FunctionalInterface
public interface StepResolver extends Serializable {

  /**
   * The scorer factory for one leaf step.
   *
   * @throws IllegalArgumentException when this resolver cannot answer for the step's target
   */
  TripScorer.Factory resolve(InferenceGraphSpec.Step step);

  /** Opens a scorer for the V2 infer URL of a model server. */
  @FunctionalInterface
  interface UrlScorers extends Serializable {
    /** The factory of scorers that call {@code inferUrl}. */
    TripScorer.Factory at(String inferUrl);
  }

  /**
   * {@code serviceName} steps from the model store at {@code storeLocation} (s3:// or a directory),
   * in process: {@code <model>} is {@link InProcessScorer#latest} (polled every {@code
   * pollInterval}), {@code <model>@<version>} is {@link InProcessScorer#pinned}. A {@code
   * serviceUrl} step is refused until {@link #withUrls} plugs a remote scorer in.
   */
  static StepResolver models(String storeLocation, Duration pollInterval, ProcessingClock clock) {
    return models(storeLocation, null, pollInterval, clock);
  }

  /**
   * Like {@link #models(String, Duration, ProcessingClock)}, with the object store's S3 settings
   * ({@code null}: from the worker's environment).
   */
  static StepResolver models(
      String storeLocation, S3Settings s3, Duration pollInterval, ProcessingClock clock) {
    return models(storeLocation, s3, pollInterval, clock, Evaluator.DEFAULT);
  }

  /**
   * Like {@link #models(String, S3Settings, Duration, ProcessingClock)}, every model predicting
   * with {@code evaluator}.
   */
  static StepResolver models(
      String storeLocation,
      S3Settings s3,
      Duration pollInterval,
      ProcessingClock clock,
      Evaluator evaluator) {
    return step -> {
      if (step.serviceName() == null) {
        throw new IllegalArgumentException(
            "step '"
                + step.name()
                + "' calls "
                + step.serviceUrl()
                + ", and no remote scorer was given for serviceUrl steps"
                + " (StepResolver.withUrls)");
      }
      InferenceGraphSpec.ModelRef ref = InferenceGraphSpec.ModelRef.of(step.serviceName());
      return ref.version() == null
          ? InProcessScorer.latest(storeLocation, s3, ref.model(), pollInterval, clock, evaluator)
          : InProcessScorer.pinned(storeLocation, s3, ref.model(), ref.version(), evaluator);
    };
  }

  /** This resolver for {@code serviceName} steps, and {@code urls} for {@code serviceUrl} steps. */
  default StepResolver withUrls(UrlScorers urls) {
    StepResolver names = this;
    return step -> step.serviceUrl() != null ? urls.at(step.serviceUrl()) : names.resolve(step);
  }
}
