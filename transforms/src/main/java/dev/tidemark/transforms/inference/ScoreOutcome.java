package dev.tidemark.transforms.inference;

import java.util.List;

/**
 * What a {@link TripScorer} says about one trip: a probability from a named model version, or the
 * reason it could not give one.
 */
public sealed interface ScoreOutcome {

  /**
   * A probability.
   *
   * @param probability P(tips > 0.2 * fare)
   * @param model the model name that answered
   * @param version the model version that answered
   * @param features the input vector the answer was computed from (laid out by that version's
   *     feature spec), for drift monitoring and explanations; empty when the scorer computed none
   * @param steps what each step of an inference graph answered for this trip, in the order they ran
   *     (an {@code Ensemble} answers with all its steps); empty for a single model
   */
  record Scored(
      double probability, String model, String version, float[] features, List<StepOutput> steps)
      implements ScoreOutcome {
    public Scored {
      steps = List.copyOf(steps);
    }

    /** A single model's answer (no graph steps). */
    public Scored(double probability, String model, String version, float[] features) {
      this(probability, model, version, features, List.of());
    }
  }

  /**
   * No probability.
   *
   * @param reason one sentence: what failed (features, the model call, a remote call after its
   *     retries, an open circuit breaker, a graph {@code Switch} with no matching condition)
   */
  record Failed(String reason) implements ScoreOutcome {}
}
