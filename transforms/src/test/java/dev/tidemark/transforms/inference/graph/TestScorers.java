package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.TripScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic scorers for graph tests where the model does not matter: each answers {@code fare /
 * 100} (so tests choose probabilities through fares) under a model name and version, and fails the
 * trips whose fare is at least a threshold.
 */
final class TestScorers {

  private TestScorers() {}

  /**
   * Answers {@code fare / 100 + offset} as {@code model}@{@code version}; fails trips with {@code
   * fare >= failFrom} ("model refused"). Serializable, so pipelines can carry it.
   */
  record FareScorer(String model, String version, double offset, double failFrom)
      implements TripScorer.Factory {
    static FareScorer of(String model, String version) {
      return new FareScorer(model, version, 0, Double.POSITIVE_INFINITY);
    }

    @Override
    public TripScorer open() {
      return new Counting(this, new ArrayList<>());
    }
  }

  /** A factory whose scorers record the size of every batch they are called with. */
  record Recorded(FareScorer scorer, List<Integer> batches) implements TripScorer.Factory {
    @Override
    public TripScorer open() {
      return new Counting(scorer, batches);
    }
  }

  /** A factory whose scorers throw on every call. */
  record Throwing(String message) implements TripScorer.Factory {
    @Override
    public TripScorer open() {
      return new TripScorer() {
        @Override
        public List<ScoreOutcome> score(List<TaxiTrip> trips) {
          throw new IllegalStateException(message);
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class Counting implements TripScorer {
    private final FareScorer spec;
    private final List<Integer> batches;

    Counting(FareScorer spec, List<Integer> batches) {
      this.spec = spec;
      this.batches = batches;
    }

    @Override
    public List<ScoreOutcome> score(List<TaxiTrip> trips) {
      batches.add(trips.size());
      List<ScoreOutcome> out = new ArrayList<>();
      for (TaxiTrip t : trips) {
        out.add(
            t.fare() >= spec.failFrom()
                ? new ScoreOutcome.Failed("model refused")
                : new ScoreOutcome.Scored(
                    t.fare() / 100 + spec.offset(), spec.model(), spec.version(), new float[0]));
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
